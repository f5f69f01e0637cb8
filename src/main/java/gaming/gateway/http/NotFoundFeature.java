package gaming.gateway.http;

import gaming.gateway.error.GatewayException;
import gaming.gateway.observe.RouteMetrics;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * The last route of all: any request no other route or observer took gets a problem+json 404.
 * A feature with the lowest weight, so that it is set up after Helidon's observe endpoints.
 */
public final class NotFoundFeature implements HttpFeature, Weighted {
    private final RouteMetrics metrics;

    private NotFoundFeature(RouteMetrics metrics) {
        this.metrics = metrics;
    }

    /** The feature that counts each 404 in {@code metrics} (the {@code route="none"} meters) and the access log. */
    public static NotFoundFeature counting(RouteMetrics metrics) {
        return new NotFoundFeature(metrics);
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.any((req, res) ->
                ErrorHandlers.reject(req, res, metrics.begin(), GatewayException.notFound(req.path().path())));
    }

    @Override
    public double weight() {
        return 0.1;
    }
}
