package gaming.gateway;

import gaming.gateway.error.ErrorHandlers;
import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.concurrent.Semaphore;

/**
 * Who gets in: a cap on in-flight requests, above which a request gets 503 with
 * {@code Retry-After} at once instead of queuing, and the drain at shutdown, when new requests get
 * 503 and their connection is closed. Health and metrics endpoints are always let through.
 */
final class Admission implements Filter {
    private final int limit;
    private final Semaphore inFlight;
    private volatile boolean stopping;
    private volatile boolean draining;

    Admission(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("gateway.max-in-flight must be > 0, was " + limit);
        }
        this.limit = limit;
        this.inFlight = new Semaphore(limit);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (draining) {
            res.header(HeaderValues.CONNECTION_CLOSE); // health checks too: every connection closes after its response
        }
        if (path.startsWith("/observe/") || path.equals("/health") || path.equals("/metrics")) {
            chain.proceed();
            return;
        }
        if (draining) {
            ErrorHandlers.send(req, res, GatewayException.shuttingDown());
            return;
        }
        if (!inFlight.tryAcquire()) {
            ErrorHandlers.send(req, res, GatewayException.overloaded(limit, null));
            return;
        }
        try {
            chain.proceed();
        } finally {
            inFlight.release();
        }
    }

    /** Shutdown has begun: readiness turns down, requests are still served. */
    void stopping() {
        stopping = true;
    }

    /** Requests arriving from now on are refused with 503 and their connection closed. */
    void drain() {
        stopping = true;
        draining = true;
    }

    /** Whether the gateway takes traffic: false from the start of shutdown. */
    boolean ready() {
        return !stopping;
    }

    /** Requests in flight now. */
    int inFlight() {
        return limit - inFlight.availablePermits();
    }
}
