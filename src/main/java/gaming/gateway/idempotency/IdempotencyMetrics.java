package gaming.gateway.idempotency;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import java.util.List;

/**
 * The idempotency counters of one route, labelled {@code route}, made once at start-up (Prometheus:
 * {@code gateway_idempotency_replays_total{route="state-update"}} and so on). Without a registry
 * (metrics off) every method does nothing.
 */
final class IdempotencyMetrics {
    private final Counter replays;
    private final Counter conflicts;
    private final Counter mismatches;
    private final Counter takeovers;
    private final Counter storeFailures;
    private final Counter failOpen;

    private IdempotencyMetrics(MeterRegistry registry, String route) {
        List<Tag> tags = List.of(Tag.create("route", route));
        replays = counter(registry, "gateway.idempotency.replays", "stored answers replayed", tags);
        conflicts = counter(registry, "gateway.idempotency.conflicts", "409: the key's first request is still in flight", tags);
        mismatches = counter(registry, "gateway.idempotency.mismatches", "422: the key was used with another payload", tags);
        takeovers = counter(registry, "gateway.idempotency.lock.takeovers",
                            "in-flight records taken over after their locked-until time", tags);
        storeFailures = counter(registry, "gateway.idempotency.store.failures",
                                "KV operations that failed (unreachable, error, record not stored)", tags);
        failOpen = counter(registry, "gateway.idempotency.fail.open",
                           "requests sent without deduplication because the store was unavailable", tags);
    }

    static IdempotencyMetrics create(MeterRegistry registry, String route) {
        return new IdempotencyMetrics(registry, route);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, List<Tag> tags) {
        return registry == null ? null : registry.getOrCreate(Counter.builder(name).description(description).tags(tags));
    }

    private static void increment(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }

    void replay() {
        increment(replays);
    }

    void conflict() {
        increment(conflicts);
    }

    void mismatch() {
        increment(mismatches);
    }

    void takeover() {
        increment(takeovers);
    }

    void storeFailure() {
        increment(storeFailures);
    }

    void failOpen() {
        increment(failOpen);
    }
}
