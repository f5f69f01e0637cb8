package gaming.gateway.http;

import gaming.gateway.error.GatewayException;
import gaming.gateway.observe.RouteMetrics;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The first filter of every request. Before routing: the path must be canonical
 * ({@link RequestTarget}; else 400, counted in the {@code route="none"} meters). After routing: when
 * the response went out while the request's body was not read, and the client may still send it,
 * the connection is closed, so that those bytes are never read as the next request (RFC 9110
 * §10.1.1, RFC 9112 §9.6). That is the case after {@code Expect: 100-continue} when no
 * {@code 100 Continue} was sent (Helidon 4.5.0 would read the body as a new request), and for a
 * response with {@code Connection: close} (e.g. a 413; Helidon 4.5.0 skips the body and keeps
 * reading, see helidon-io/helidon#12324). Otherwise Helidon reads and discards the rest of the body.
 * The connection of an HTTP/1.0 request is closed after its response.
 */
public final class EdgeFilter implements Filter {
    private final RouteMetrics noRoute;

    /** @param noRoute the meters and access log of requests that match no route */
    public EdgeFilter(RouteMetrics noRoute) {
        this.noRoute = noRoute;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            RequestTarget.check(req.prologue().uriPath().rawPath());
        } catch (GatewayException e) {
            ErrorHandlers.reject(req, res, noRoute.begin(), e);
            closeIfBodyMayFollow(req, res);
            return;
        }
        try {
            chain.proceed();
        } catch (GatewayException e) {
            // answered here rather than by the routing's error handler, so that the check below sees it
            ErrorHandlers.send(req, res, e);
        } finally {
            closeIfBodyMayFollow(req, res);
        }
    }

    private static void closeIfBodyMayFollow(ServerRequest req, ServerResponse res) {
        if (res.isSent() && ChunkFramingSelector.isHttp10(req)) {
            // HTTP/1.0 without keep-alive: the response ends the connection
            throw new CloseConnectionException("HTTP/1.0 response sent");
        }
        if (!res.isSent() || !req.content().hasEntity() || req.content().consumed()) {
            return;
        }
        if (ErrorHandlers.unreadBodyMayFollow(req) || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("response sent before the request body was read");
        }
    }
}
