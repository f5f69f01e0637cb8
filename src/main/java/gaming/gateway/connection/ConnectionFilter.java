package gaming.gateway.connection;

import gaming.gateway.error.GatewayException;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.http.PathMeters;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * The outermost filter. A request on a connection beyond the cap gets 503 {@code OVERLOADED} with
 * {@code Connection: close} (health and metrics are still answered, then the connection closes),
 * recorded like any refused request: in the meters of the route its path matches and in the
 * access log.
 * After any response that says {@code Connection: close}, the connection is closed (RFC 9112
 * §9.6): Helidon 4.5.0 sends the header but keeps reading requests on the connection
 * (helidon-io/helidon#12324).
 */
public final class ConnectionFilter implements Filter {
    /** Unread request body read and dropped at most before a close (a larger rest: closed at once). */
    static final long MAX_DRAIN = 16L * 1024 * 1024;
    private final int maxOpen;
    private final PathMeters meters;

    /**
     * @param guard  the connections' cap and state
     * @param meters where a request refused beyond the cap is recorded
     */
    public ConnectionFilter(ConnectionGuard guard, PathMeters meters) {
        this.maxOpen = guard.maxOpen();
        this.meters = meters;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (ConnectionGuard.beyondCapHere()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            String path = req.path().path();
            if (path.equals("/health") || path.equals("/metrics") || path.startsWith("/observe/")) {
                chain.proceed();
            } else {
                ErrorHandlers.reject(req, res, meters.of(req.path()).begin(), GatewayException.tooManyConnections(maxOpen));
            }
        } else {
            chain.proceed();
        }
        if (res.isSent() && res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            if (!req.content().consumed()) {
                // the client may still be sending the body (after an early 413, say): closing with
                // unread bytes would reset the connection and could destroy the response at the
                // client, so the rest is read and dropped first, up to MAX_DRAIN bytes and 1 s
                ConnectionGuard.drainBounded(() -> drain(req));
            }
            throw new CloseConnectionException("response sent with Connection: close");
        }
    }

    private static void drain(RoutingRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > MAX_DRAIN) {
            return;
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            for (int n; total <= MAX_DRAIN && (n = in.read(buf)) > 0; ) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // the connection closes anyway
        }
    }
}
