package gaming.gateway.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.util.function.BooleanSupplier;

/** Readiness: the gateway is ready only while its NATS connection is up and it is not shutting down. */
public final class NatsHealth implements HealthCheck {
    private final BooleanSupplier connected;
    private final BooleanSupplier accepting;

    /**
     * @param connected whether the NATS connection is up now
     * @param accepting false once shutdown has begun
     */
    public NatsHealth(BooleanSupplier connected, BooleanSupplier accepting) {
        this.connected = connected;
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
        boolean up = connected.getAsBoolean();
        boolean open = accepting.getAsBoolean();
        return HealthCheckResponse.builder()
                .status(up && open)
                .detail("connected", up)
                .detail("shutting_down", !open)
                .build();
    }
}
