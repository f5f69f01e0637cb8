package gaming.gateway.http;

import gaming.gateway.error.GatewayException;
import gaming.gateway.observe.RouteMetrics;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.concurrent.Semaphore;

/**
 * Who gets in: a cap on in-flight requests, above which a request gets 503 with
 * {@code Retry-After} at once instead of queuing, and the drain at shutdown, when new requests get
 * 503 and their connection is closed. Health and metrics endpoints are always let through. A
 * refused request is recorded like any other ({@link ErrorHandlers#reject}): in the meters of the
 * route its path matches (or {@code route="none"}) and in the access log.
 */
public final class Admission implements Filter {
    private final int limit;
    private final Semaphore inFlight;
    private final PathMeters meters;
    private volatile boolean stopping;
    private volatile boolean draining;

    /**
     * @param limit  requests handled at once ({@code gateway.max-in-flight}), &gt; 0
     * @param meters where a refused request is recorded
     */
    public Admission(int limit, PathMeters meters) {
        if (limit <= 0) {
            throw new IllegalArgumentException("gateway.max-in-flight must be > 0, was " + limit);
        }
        this.limit = limit;
        this.inFlight = new Semaphore(limit);
        this.meters = meters;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        boolean drain = draining; // read once: a refusal always comes with its Connection: close
        if (drain) {
            res.header(HeaderValues.CONNECTION_CLOSE); // health checks too: every connection closes after its response
        }
        if (path.startsWith("/observe/") || path.equals("/health") || path.equals("/metrics")) {
            chain.proceed();
            return;
        }
        if (drain) {
            refuse(req, res, GatewayException.shuttingDown());
            return;
        }
        if (!inFlight.tryAcquire()) {
            refuse(req, res, GatewayException.overloaded(limit, null));
            return;
        }
        try {
            chain.proceed();
        } finally {
            inFlight.release();
        }
    }

    private void refuse(RoutingRequest req, RoutingResponse res, GatewayException error) {
        RouteMetrics route = meters.of(req.path());
        ErrorHandlers.reject(req, res, route.begin(), error);
    }

    /** Shutdown has begun: readiness turns down, requests are still served. */
    public void stopping() {
        stopping = true;
    }

    /** Requests arriving from now on are refused with 503 and their connection closed. */
    public void drain() {
        stopping = true;
        draining = true;
    }

    /** Whether the gateway takes traffic: false from the start of shutdown. */
    public boolean ready() {
        return !stopping;
    }
}
