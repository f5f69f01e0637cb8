/**
 * Idempotency at the gateway: the {@code Idempotency-Key} semantics of HTTP APIs (replay of the
 * stored answer, 409 while the first request is in flight, 422 for a key reused with another
 * payload, 400 for a missing or malformed key), with the records in a JetStream key-value bucket
 * shared by every gateway instance.
 *
 * <p>Owns: the gateway-wide bucket settings ({@link gaming.gateway.idempotency.IdempotencySettings}),
 * key parsing, the request fingerprint, the record format, the KV store and its meters, and the
 * per-route {@link gaming.gateway.idempotency.IdempotencyGuard} that {@code RouteService} calls
 * around its one upstream call. A route's policy (off, forward, enforce) is part of the route model,
 * {@link gaming.gateway.route.IdempotencyPolicy}.
 *
 * <p>Layer 3, a part of HTTP handling beside {@code http} and {@code stream} (it writes replays and
 * sets {@code Retry-After}): may use {@code error}, {@code nats} (the KV bucket), {@code observe},
 * {@code route} and {@code transcode}; knows nothing of {@code RouteService} above it.
 *
 * <p>Reference: Stripe's idempotent requests and the IETF draft "The Idempotency-Key HTTP Header
 * Field" (draft-ietf-httpapi-idempotency-key-header, expired; a reference, not a standard).
 */
package gaming.gateway.idempotency;
