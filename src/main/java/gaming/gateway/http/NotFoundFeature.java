package gaming.gateway.http;

import gaming.gateway.error.GatewayException;
import gaming.gateway.observe.RouteMetrics;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The last route of all: any request no other route or observer took gets a problem+json 404.
 * A feature with the lowest weight, so that it is set up after Helidon's observe endpoints.
 *
 * <p>Helidon's CORS feature registers an {@code OPTIONS /*} route of weight 1 that answers only a
 * CORS preflight (an {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method},
 * Fetch standard section 4.8) and leaves any other {@code OPTIONS} unanswered (Helidon then sends a
 * 500). {@link #beforeCors} takes those first, on paths no route took, and answers them as this one.
 */
public final class NotFoundFeature implements HttpFeature, Weighted {
    /** Above the weight of Helidon's CORS {@code OPTIONS} route (1), below its observe endpoints. */
    private static final double BEFORE_CORS = 1.5;
    private static final double LAST = 0.1;

    private final RouteMetrics metrics;
    private final boolean optionsBeforeCors;

    private NotFoundFeature(RouteMetrics metrics, boolean optionsBeforeCors) {
        this.metrics = metrics;
        this.optionsBeforeCors = optionsBeforeCors;
    }

    /** The feature that counts each 404 in {@code metrics} (the {@code route="none"} meters) and the access log. */
    public static NotFoundFeature counting(RouteMetrics metrics) {
        return new NotFoundFeature(metrics, false);
    }

    /**
     * The 404 of {@link #counting} for an {@code OPTIONS} request that is not a CORS preflight, on a path
     * no route took, set up before Helidon's CORS feature; a preflight goes on to that feature.
     */
    public static NotFoundFeature beforeCors(RouteMetrics metrics) {
        return new NotFoundFeature(metrics, true);
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        if (!optionsBeforeCors) {
            routing.any(this::notFound);
            return;
        }
        routing.options("/*", (req, res) -> {
            if (req.headers().contains(HeaderNames.ORIGIN)
                    && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                res.next();
            } else {
                notFound(req, res);
            }
        });
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        ErrorHandlers.reject(req, res, metrics.begin(), GatewayException.notFound(req.path().path()));
    }

    @Override
    public double weight() {
        return optionsBeforeCors ? BEFORE_CORS : LAST;
    }
}
