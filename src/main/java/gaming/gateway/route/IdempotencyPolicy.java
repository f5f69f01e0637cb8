package gaming.gateway.route;

import io.helidon.config.Config;

/**
 * A route's idempotency policy, from its route table entry.
 *
 * @param mode     {@code idempotency}: off, forward (default) or enforce
 * @param required {@code idempotency-required}: a request without a key is a 400 (enforce only)
 * @param failOpen {@code idempotency-fail-open}: while the KV store is unreachable, requests go to
 *                 the service without deduplication (a warning and a counter) instead of a 503
 *                 (enforce only)
 */
public record IdempotencyPolicy(IdempotencyMode mode, boolean required, boolean failOpen) {
    /** Today's behaviour: the key is forwarded, the service deduplicates. */
    public static final IdempotencyPolicy FORWARD = new IdempotencyPolicy(IdempotencyMode.FORWARD, false, false);

    /**
     * The policy of one route entry.
     *
     * @throws IllegalArgumentException for an unknown mode, or {@code idempotency-required} /
     *                                  {@code idempotency-fail-open} on a route that does not enforce
     */
    public static IdempotencyPolicy create(Config route) {
        IdempotencyMode mode = route.get("idempotency").asString().map(IdempotencyMode::parse).orElse(IdempotencyMode.FORWARD);
        boolean required = route.get("idempotency-required").asBoolean().orElse(false);
        boolean failOpen = route.get("idempotency-fail-open").asBoolean().orElse(false);
        if ((required || failOpen) && mode != IdempotencyMode.ENFORCE) {
            throw new IllegalArgumentException("idempotency-required and idempotency-fail-open need idempotency: enforce");
        }
        return new IdempotencyPolicy(mode, required, failOpen);
    }
}
