/**
 * The gateway's NATS connection: settings, options (credentials, TLS), the one shared connection
 * with request/reply ({@link gaming.gateway.nats.NatsClient}) and streamed replies on an inbox
 * ({@link gaming.gateway.nats.NatsStream}), both failing with the same typed
 * {@link gaming.gateway.error.GatewayException}s (503, 504, 403 for a denied subject), and the
 * JetStream key-value buckets on that connection.
 *
 * <p>Layer 1: may use {@code error} only; knows nothing of routes, HTTP or Protobuf types.
 */
package gaming.gateway.nats;
