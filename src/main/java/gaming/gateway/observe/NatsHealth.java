package gaming.gateway.observe;

import gaming.gateway.nats.NatsClient;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.util.function.BooleanSupplier;

/** Readiness: the gateway is ready only while its NATS connection is up and it is not shutting down. */
public final class NatsHealth implements HealthCheck {
    private final NatsClient nats;
    private final BooleanSupplier accepting;

    /**
     * @param nats      the connection whose state counts
     * @param accepting false once shutdown has begun
     */
    public NatsHealth(NatsClient nats, BooleanSupplier accepting) {
        this.nats = nats;
        this.accepting = accepting;
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
        boolean connected = nats.connected();
        boolean open = accepting.getAsBoolean();
        return HealthCheckResponse.builder()
                .status(connected && open)
                .detail("connected", connected)
                .detail("shutting_down", !open)
                .build();
    }
}
