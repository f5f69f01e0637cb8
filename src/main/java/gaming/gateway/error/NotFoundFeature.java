package gaming.gateway.error;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * The last route of all: any request no other route or observer took gets a problem+json 404.
 * A feature with the lowest weight, so that it is set up after Helidon's observe endpoints.
 */
public final class NotFoundFeature implements HttpFeature, Weighted {
    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.any((req, res) -> {
            throw GatewayException.notFound(req.path().path());
        });
    }

    @Override
    public double weight() {
        return 0.1;
    }
}
