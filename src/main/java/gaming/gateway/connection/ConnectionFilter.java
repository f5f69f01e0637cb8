package gaming.gateway.connection;

import gaming.gateway.error.ErrorHandlers;
import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The outermost filter. A request on a connection beyond the cap gets 503 {@code OVERLOADED} with
 * {@code Connection: close} (health and metrics are still answered, then the connection closes).
 * After any response that says {@code Connection: close}, the connection is closed (RFC 9112
 * §9.6): Helidon 4.5.0 sends the header but keeps reading requests on the connection
 * (helidon-io/helidon#12324).
 */
public final class ConnectionFilter implements Filter {
    private final int maxOpen;

    public ConnectionFilter(ConnectionGuard guard) {
        this.maxOpen = guard.maxOpen();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (ConnectionGuard.beyondCapHere()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            String path = req.path().path();
            if (path.equals("/health") || path.equals("/metrics") || path.startsWith("/observe/")) {
                chain.proceed();
            } else {
                ErrorHandlers.send(req, res, GatewayException.tooManyConnections(maxOpen));
            }
        } else {
            chain.proceed();
        }
        if (res.isSent() && res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("response sent with Connection: close");
        }
    }
}
