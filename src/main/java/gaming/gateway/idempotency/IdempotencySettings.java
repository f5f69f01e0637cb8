package gaming.gateway.idempotency;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The gateway-wide settings of the idempotency store, from the {@code gateway.idempotency} node.
 *
 * @param bucket       JetStream KV bucket shared by every gateway instance ({@code bucket},
 *                     {@value #DEFAULT_BUCKET}); created at start-up when missing
 * @param maxAge       how long a record is kept: the bucket's max age ({@code max-age-seconds}, 24 h);
 *                     nats-server 2.9 has no per-key TTL, so this one age covers every record
 * @param replicas     the bucket's replicas when the gateway creates it ({@code replicas}, 1; up to 5)
 * @param lockMargin   added to a route's timeout to make a record's "locked until"
 *                     ({@code lock-margin-millis}, 5 s)
 * @param storeTimeout longest wait for one KV operation ({@code store-timeout-millis}, 2 s)
 */
public record IdempotencySettings(String bucket, Duration maxAge, int replicas, Duration lockMargin,
                                  Duration storeTimeout) {
    public static final String DEFAULT_BUCKET = "gateway_idempotency";
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final Duration DEFAULT_LOCK_MARGIN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Settings from {@code node} (the {@code gateway.idempotency} node; missing keys take the defaults).
     *
     * @throws IllegalArgumentException for an invalid bucket name or a value out of range
     */
    public static IdempotencySettings create(Config node) {
        IdempotencySettings settings = new IdempotencySettings(
                node.get("bucket").asString().orElse(DEFAULT_BUCKET),
                node.get("max-age-millis").asLong().map(Duration::ofMillis)
                        .orElseGet(() -> Duration.ofSeconds(node.get("max-age-seconds").asLong()
                                                                    .orElse(DEFAULT_MAX_AGE.toSeconds()))),
                node.get("replicas").asInt().orElse(1),
                Duration.ofMillis(node.get("lock-margin-millis").asLong().orElse(DEFAULT_LOCK_MARGIN.toMillis())),
                Duration.ofMillis(node.get("store-timeout-millis").asLong().orElse(DEFAULT_STORE_TIMEOUT.toMillis())));
        if (!BUCKET.matcher(settings.bucket).matches()) {
            throw new IllegalArgumentException("gateway.idempotency.bucket must be letters, digits, - and _: " + settings.bucket);
        }
        if (settings.maxAge.toMillis() < 1000) {
            throw new IllegalArgumentException("gateway.idempotency.max-age must be at least 1 s");
        }
        if (settings.replicas < 1 || settings.replicas > 5) {
            throw new IllegalArgumentException("gateway.idempotency.replicas must be 1 to 5");
        }
        if (settings.lockMargin.isNegative() || settings.storeTimeout.isNegative() || settings.storeTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.idempotency.lock-margin-millis must be >= 0 and store-timeout-millis > 0");
        }
        return settings;
    }
}
