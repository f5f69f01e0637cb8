/**
 * Tracing: OpenTelemetry spans exported over OTLP ({@link gaming.gateway.tracing.Tracing}), a
 * server span per route request and a client span per NATS request or stream
 * ({@link gaming.gateway.tracing.NatsSpan}), and what the rest of the gateway reads of the current
 * span ({@link gaming.gateway.tracing.Spans}). Off unless an OTLP endpoint is configured: then no
 * SDK is built and the hooks cost one read of a static field each.
 *
 * <p>Layer 0, beside {@code error} and {@code config}: it imports nothing from the gateway (only the
 * OpenTelemetry API and SDK), so that every layer above may call its hooks.
 */
package gaming.gateway.tracing;
