package gaming.gateway;

import gaming.gateway.identity.IdentitySettings;
import gaming.gateway.idempotency.IdempotencySettings;
import gaming.gateway.nats.NatsSettings;
import gaming.gateway.route.RouteTable;
import gaming.gateway.stream.StreamSettings;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Everything the {@code gateway} config node says, read and validated once at start-up.
 *
 * @param nats          the NATS connection
 * @param routes        the route table
 * @param maxBodyBytes  largest request body ({@code max-body-bytes}, 1 MiB)
 * @param maxInFlight   requests handled at once ({@code max-in-flight}, 10,000)
 * @param streams       SSE stream limits ({@code stream})
 * @param identity      where Meta identity comes from ({@code identity})
 * @param metrics       whether meters are kept ({@code metrics.enabled})
 * @param accessLog     whether each request is logged ({@code access-log.enabled})
 * @param shutdownGrace how long in-flight requests get at shutdown ({@code shutdown-grace-seconds}, 30)
 * @param shutdownDelay how long readiness is down before requests are refused ({@code shutdown-delay-millis}, 0)
 * @param idempotency   the idempotency store of {@code enforce} routes ({@code idempotency})
 */
record GatewaySettings(NatsSettings nats,
                       RouteTable routes,
                       long maxBodyBytes,
                       int maxInFlight,
                       StreamSettings streams,
                       IdentitySettings identity,
                       boolean metrics,
                       boolean accessLog,
                       Duration shutdownGrace,
                       Duration shutdownDelay,
                       IdempotencySettings idempotency) {

    static GatewaySettings create(Config gateway) {
        NatsSettings nats = NatsSettings.create(gateway.get("nats"));
        GatewaySettings settings = new GatewaySettings(
                nats,
                RouteTable.create(gateway, nats.requestTimeout()),
                gateway.get("max-body-bytes").asLong().orElse(1024L * 1024),
                gateway.get("max-in-flight").asInt().orElse(10_000),
                StreamSettings.create(gateway.get("stream")),
                IdentitySettings.create(gateway.get("identity")),
                gateway.get("metrics.enabled").asBoolean().orElse(true),
                gateway.get("access-log.enabled").asBoolean().orElse(true),
                Duration.ofSeconds(gateway.get("shutdown-grace-seconds").asLong().orElse(30L)),
                Duration.ofMillis(gateway.get("shutdown-delay-millis").asLong().orElse(0L)),
                IdempotencySettings.create(gateway.get("idempotency")));
        if (settings.maxBodyBytes <= 0) {
            throw new IllegalArgumentException("gateway.max-body-bytes (MAX_BODY_BYTES) must be > 0");
        }
        if (settings.shutdownGrace.isNegative() || settings.shutdownDelay.isNegative()) {
            throw new IllegalArgumentException("gateway.shutdown-grace-seconds and shutdown-delay-millis must be >= 0");
        }
        return settings;
    }
}
