package gaming.gateway.cors;

import java.time.Duration;
import java.util.List;

/**
 * One CORS policy (Fetch standard, section 3.2 "CORS protocol"): which origins may read answers,
 * with which methods and request headers, which response headers they may read, whether with
 * credentials, and how long a preflight answer may be cached.
 *
 * @param allowOrigins     origins as serialized by browsers ({@code https://app.example.com}),
 *                         {@code *} for any, or with {@code *} for one or more DNS labels
 *                         ({@code https://*.example.com}); empty = CORS off for this scope
 * @param allowMethods     methods a cross-origin request may use ({@code Access-Control-Allow-Methods})
 * @param allowHeaders     request headers it may send ({@code Access-Control-Allow-Headers})
 * @param exposeHeaders    response headers script may read ({@code Access-Control-Expose-Headers})
 * @param allowCredentials whether cookies/{@code Authorization} may be sent; not with origin {@code *}
 * @param maxAge           how long a browser may cache a preflight answer ({@code Access-Control-Max-Age}), whole seconds
 */
public record CorsPolicy(List<String> allowOrigins,
                         List<String> allowMethods,
                         List<String> allowHeaders,
                         List<String> exposeHeaders,
                         boolean allowCredentials,
                         Duration maxAge) {
    /** Methods allowed unless configured: the routes' POST, and GET for {@code /health}. */
    public static final List<String> DEFAULT_METHODS = List.of("POST", "GET");
    /** Request headers allowed unless configured: JSON, credentials, the Meta headers, trace context, conditionals. */
    public static final List<String> DEFAULT_ALLOW_HEADERS = List.of(
            "Content-Type", "Accept", "Authorization", "X-Trace-ID", "X-Client-ID", "X-User-ID", "X-Tenant-ID",
            "Idempotency-Key", "traceparent", "tracestate", "If-None-Match", "Last-Event-ID");
    /** Response headers exposed unless configured. */
    public static final List<String> DEFAULT_EXPOSE_HEADERS = List.of(
            "X-Trace-ID", "traceparent", "Retry-After", "Location", "ETag", "RateLimit", "RateLimit-Policy");
    /** Preflight cache time unless configured. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    public CorsPolicy {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }

    /** Whether any origin is allowed, i.e. CORS is on for this scope. */
    public boolean enabled() {
        return !allowOrigins.isEmpty();
    }
}
