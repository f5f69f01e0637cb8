/**
 * Where a route's requests go: the {@link gaming.gateway.upstream.Upstream} seam (one request and
 * its reply, or a streamed reply, as Protobuf messages, plain blocking calls) and its NATS
 * implementation, {@link gaming.gateway.upstream.NatsUpstream}. A legacy HTTP upstream or a
 * shadow/split strategy belongs here, beside it.
 *
 * <p>Layer 2: may use {@code error}, {@code nats}, {@code route}, {@code transcode} and {@code tracing}.
 */
package gaming.gateway.upstream;
