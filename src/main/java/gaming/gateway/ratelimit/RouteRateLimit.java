package gaming.gateway.ratelimit;

import common.v1.MetaOrBuilder;
import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * A route's rate limit applied to one request: the client key taken from the request's
 * {@code Meta} (or its remote address), a token taken from its bucket, and the IETF draft's
 * headers set on the answer (draft-ietf-httpapi-ratelimit-headers-10, sections 3 and 4):
 * {@code RateLimit-Policy: "<route>";q=<requests>;w=<window seconds>} on every answer of the
 * route ({@link #describe}), and {@code RateLimit: "<route>";r=<remaining>;t=<seconds until the
 * bucket is full>} on every answer to a request that was counted ({@link #check}). Over the limit:
 * 429 {@code RATE_LIMITED} with {@code Retry-After} (seconds until the next token). Made once per
 * route; thread-safe.
 *
 * <p>Which requests count is the implementation's choice (the draft, section 3.1.2: "Whether a
 * specific request actually consumes a quota unit is implementation-specific"). Here: every request
 * whose client is known, whatever its answer; {@link #check} is called once the request's
 * {@code Meta} is made and before its body is read, so a body refused with 400, 413 or 415, a
 * failing service and a stream take a token like a success (a client cannot send bad bodies
 * without limit). Answers given before the client is known (an id or label header refused while
 * the {@code Meta} is made, no or bad credentials, the route's in-flight cap, another method than
 * POST) take none and carry only {@code RateLimit-Policy}: no client's bucket is known to report.
 */
public final class RouteRateLimit {
    /** {@code RateLimit-Policy}. */
    public static final HeaderName POLICY = HeaderNames.create("RateLimit-Policy");
    /** {@code RateLimit}. */
    public static final HeaderName RATE_LIMIT = HeaderNames.create("RateLimit");

    private final String route;
    private final RateLimitSettings settings;
    private final RateLimiter limiter;
    private final String policy;
    private final String prefix;

    private RouteRateLimit(String route, RateLimitSettings settings, RateLimiter limiter) {
        this.route = route;
        this.settings = settings;
        this.limiter = limiter;
        this.prefix = "\"" + route + "\"";
        this.policy = prefix + ";q=" + settings.requests() + ";w=" + settings.window().toSeconds();
    }

    /** The limit of route {@code route} (its name, a bounded label), or null when {@code settings} is null. */
    public static RouteRateLimit create(String route, RateLimitSettings settings) {
        return settings == null ? null : new RouteRateLimit(route, settings, RateLimiter.create(settings));
    }

    /** Sets {@code RateLimit-Policy} on {@code res}: for an answer on the route given before {@link #check}. */
    public void describe(ServerResponse res) {
        res.header(POLICY, policy);
    }

    /**
     * Takes a token for the request's client and sets both headers on {@code res}.
     *
     * @param meta          the request's {@code Meta} (a builder will do: it is only read), identity set
     * @param remoteAddress the TCP peer's address
     * @throws GatewayException 429 {@code RATE_LIMITED} when the client's bucket is empty
     */
    public void check(MetaOrBuilder meta, String remoteAddress, ServerResponse res) {
        RateLimiter.Decision d = limiter.acquire(key(meta, remoteAddress));
        res.header(POLICY, policy);
        res.header(RATE_LIMIT, prefix + ";r=" + d.remaining() + ";t=" + d.resetSeconds());
        if (!d.allowed()) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(d.retryAfterSeconds()));
            throw GatewayException.rateLimited(route, settings.requests(), settings.window().toSeconds());
        }
    }

    /** How many client keys the route holds now. */
    public int keys() {
        return limiter.keys();
    }

    private String key(MetaOrBuilder meta, String remoteAddress) {
        String key = switch (settings.key()) {
            case USER -> meta.getUserId();
            case TENANT -> meta.getTenantId();
            case CLIENT_ID -> meta.getClientId();
            case REMOTE_ADDRESS -> "";
        };
        return key.isEmpty() ? "addr:" + remoteAddress : "id:" + key;
    }
}
