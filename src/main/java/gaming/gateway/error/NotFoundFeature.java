package gaming.gateway.error;

import gaming.gateway.observe.Exchange;
import gaming.gateway.observe.RouteMetrics;
import gaming.gateway.transcode.TraceContext;

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
        routing.any((req, res) -> {
            Exchange x = metrics.begin();
            String traceId = TraceContext.traceIdOf(req.headers());
            res.header(TraceContext.X_TRACE_ID, traceId);
            x.traceId(traceId);
            GatewayException error = GatewayException.notFound(req.path().path());
            x.failed(error);
            try {
                ErrorHandlers.send(req, res, error);
            } finally {
                x.end(res.bytesWritten(), req.headers().contentLength().orElse(-1));
            }
        });
    }

    @Override
    public double weight() {
        return 0.1;
    }
}
