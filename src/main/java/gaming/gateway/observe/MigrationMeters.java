package gaming.gateway.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one route in migration, resolved once: {@code gateway_migration_requests_total{route,side}}
 * ({@code nats}, {@code legacy}), {@code gateway_migration_comparisons_total{route,result}}
 * ({@code match}, {@code mismatch}, {@code noise}, {@code error}, {@code skipped}),
 * {@code gateway_migration_fallbacks_total{route}} and the legacy call latency
 * {@code gateway_migration_legacy_duration_seconds{route}}. Label values are bounded: differing
 * paths are never labels. Without metrics every method does nothing.
 */
public final class MigrationMeters {
    /** The {@code side} label values. */
    public static final List<String> SIDES = List.of("nats", "legacy");
    /** The {@code result} label values. */
    public static final List<String> RESULTS = List.of("match", "mismatch", "noise", "error", "skipped");

    private final Map<String, Counter> requests = new HashMap<>();
    private final Map<String, Counter> comparisons = new HashMap<>();
    private final Counter fallbacks;
    private final Timer legacy;

    private MigrationMeters(GatewayMetrics metrics, String route) {
        if (!metrics.enabled()) {
            fallbacks = null;
            legacy = null;
            return;
        }
        Tag tag = Tag.create("route", route);
        for (String side : SIDES) {
            requests.put(side, metrics.counter("gateway.migration.requests", "requests of a route in migration by the side that answered",
                                               List.of(tag, Tag.create("side", side))));
        }
        for (String result : RESULTS) {
            comparisons.put(result, metrics.counter("gateway.migration.comparisons", "shadow comparisons by result",
                                                    List.of(tag, Tag.create("result", result))));
        }
        fallbacks = metrics.counter("gateway.migration.fallbacks", "requests answered by legacy because NATS was unavailable",
                                    List.of(tag));
        legacy = metrics.timer("gateway.migration.legacy.duration", "calls to the legacy HTTP service", List.of(tag));
    }

    /** The meters of {@code route}. */
    public static MigrationMeters create(GatewayMetrics metrics, String route) {
        return new MigrationMeters(metrics, route);
    }

    /** One request answered by {@code side}, one of {@link #SIDES}. */
    public void request(String side) {
        Counter c = requests.get(side);
        if (c != null) {
            c.increment();
        }
    }

    /** One comparison ended with {@code result}, one of {@link #RESULTS}. */
    public void comparison(String result) {
        Counter c = comparisons.get(result);
        if (c != null) {
            c.increment();
        }
    }

    /** One request answered by legacy because NATS was unavailable. */
    public void fallback() {
        if (fallbacks != null) {
            fallbacks.increment();
        }
    }

    /** One call to the legacy service took {@code nanos}. */
    public void legacyLatency(long nanos) {
        if (legacy != null) {
            legacy.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
