package gaming.gateway.observe;

import gaming.gateway.nats.NatsClient;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness: the gateway is ready only while its NATS connection is up. */
public final class NatsHealth implements HealthCheck {
    private final NatsClient nats;

    public NatsHealth(NatsClient nats) {
        this.nats = nats;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder()
                .status(nats.connected())
                .detail("connected", nats.connected())
                .build();
    }
}
