package gaming.gateway.http;

import gaming.gateway.error.GatewayException;
import gaming.gateway.tracing.ServerSpan;
import gaming.gateway.tracing.Spans;
import gaming.gateway.tracing.Tracing;
import gaming.gateway.transcode.TraceContext;

import io.helidon.http.Headers;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The server span of each request to a route's path ({@link Tracing#startServer}), named
 * {@code METHOD /route/path}, current on the request's thread while the request is served, so
 * that the trace context the route passes on ({@link TraceContext#of}) and its NATS client spans
 * continue it. The client's valid {@code traceparent} is its parent. Registered only while tracing
 * is on; other paths ({@code /health}, {@code /metrics}, 404s) get no span.
 */
public final class TracingFilter implements Filter {
    private record RoutePath(PathMatcher matcher, String pattern) {
    }

    private final Tracing tracing;
    private final List<RoutePath> routes = new ArrayList<>();

    /** @param tracing where spans go; on */
    public TracingFilter(Tracing tracing) {
        this.tracing = tracing;
    }

    /**
     * Adds a route's path; call before the server starts.
     *
     * @param pathPattern the route's Helidon path pattern, e.g. {@code /models/{model_id}}: the span's {@code http.route}
     */
    public TracingFilter add(String pathPattern) {
        routes.add(new RoutePath(PathMatchers.create(pathPattern), pathPattern));
        return this;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String route = routeOf(req);
        if (route == null) {
            chain.proceed();
            return;
        }
        Headers headers = req.headers();
        String traceparent = headers.first(TraceContext.TRACEPARENT).filter(TraceContext::isValidTraceparent).orElse(null);
        String tracestate = traceparent == null ? null : headers.first(TraceContext.TRACESTATE).orElse(null);
        ServerSpan span = tracing.startServer(req.prologue().method().text(), route, req.path().path(), traceparent,
                                              tracestate, headers.first(TraceContext.X_TRACE_ID).orElse(null));
        int status = 500;
        try {
            chain.proceed();
            status = res.status().code();
        } catch (GatewayException e) {
            // answered by the EdgeFilter, after this span
            status = e.status();
            Spans.failed(e.status(), e.code());
            throw e;
        } finally {
            span.end(status);
        }
    }

    private String routeOf(RoutingRequest req) {
        for (RoutePath route : routes) {
            if (route.matcher().match(req.path()).accepted()) {
                return route.pattern();
            }
        }
        return null;
    }
}
