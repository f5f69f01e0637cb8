package gaming.gateway.observe;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} in the original description's format:
 * {@code {"status":"healthy","nats_connected":true,"routes":9}}, 200; {@code "unhealthy"} and 503
 * while NATS is down; HEAD gives the same status and headers (other methods get 405 with
 * {@code Allow: GET, HEAD} from the route {@code Gateway} adds after this service). Kubernetes
 * probes use Helidon's {@code /observe/health/*} instead.
 */
public final class HealthService implements HttpService {
    /** Sent with an explicit Content-Length: Helidon turns a 200 from {@code send()} into a 204. */

    private final BooleanSupplier connected;
    private final int routes;
    private final BooleanSupplier accepting;

    /**
     * @param connected whether the NATS connection is up now
     * @param routes    how many routes the gateway serves
     * @param accepting false once shutdown has begun (then 503, so load balancers stop sending)
     */
    public HealthService(BooleanSupplier connected, int routes, BooleanSupplier accepting) {
        this.connected = connected;
        this.routes = routes;
        this.accepting = accepting;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::health)
                .head("/", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        boolean up = connected.getAsBoolean();
        boolean healthy = up && accepting.getAsBoolean();
        res.status(healthy ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        byte[] body = ("{\"status\":\"" + (healthy ? "healthy" : "unhealthy") + "\",\"nats_connected\":" + up
                + ",\"routes\":" + routes + "}").getBytes(StandardCharsets.US_ASCII);
        GetOrHead.send(req, res, body);
    }
}
