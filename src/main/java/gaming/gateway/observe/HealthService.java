package gaming.gateway.observe;

import gaming.gateway.nats.NatsClient;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /health} in the original description's format:
 * {@code {"status":"healthy","nats_connected":true,"routes":9}}, 200; {@code "unhealthy"} and 503
 * while NATS is down. Kubernetes probes use Helidon's {@code /observe/health/*} instead.
 */
public final class HealthService implements HttpService {
    private final NatsClient nats;
    private final int routes;

    public HealthService(NatsClient nats, int routes) {
        this.nats = nats;
        this.routes = routes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        boolean connected = nats.connected();
        res.status(connected ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send("{\"status\":\"" + (connected ? "healthy" : "unhealthy") + "\",\"nats_connected\":" + connected
                         + ",\"routes\":" + routes + "}");
    }
}
