package gaming.gateway.stream;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Limits of Server-Sent Event streams, from the {@code gateway.stream} config node.
 *
 * @param keepAlive          interval of {@code : keep-alive} comments on a quiet stream (15 s)
 * @param maxConcurrent      streams one gateway holds at once; beyond, 429 (20,000)
 * @param maxPendingMessages chunks queued per stream for a slow reader (1,000)
 * @param maxPendingBytes    bytes queued per stream for a slow reader (1 MiB)
 */
public record StreamSettings(Duration keepAlive, int maxConcurrent, long maxPendingMessages, long maxPendingBytes) {
    /** Settings from the {@code gateway.stream} node. */
    public static StreamSettings create(Config stream) {
        StreamSettings settings = new StreamSettings(
                stream.get("keep-alive-millis").asLong().map(Duration::ofMillis)
                        .orElseGet(() -> Duration.ofSeconds(stream.get("keep-alive-seconds").asLong().orElse(15L))),
                stream.get("max-concurrent").asInt().orElse(20_000),
                stream.get("max-pending-messages").asLong().orElse(1_000L),
                stream.get("max-pending-bytes").asLong().orElse(1024L * 1024));
        if (settings.keepAlive.isNegative() || settings.keepAlive.isZero() || settings.maxConcurrent <= 0
                || settings.maxPendingMessages <= 0 || settings.maxPendingBytes <= 0) {
            throw new IllegalArgumentException("gateway.stream settings must all be > 0: " + settings);
        }
        return settings;
    }
}
