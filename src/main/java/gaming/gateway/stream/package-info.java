/**
 * Server-Sent Events: {@link gaming.gateway.stream.SseRelay} relays an upstream stream chunk by
 * chunk, with keep-alives, idle timeout, overflow and cancel; {@link gaming.gateway.stream.ActiveStreams}
 * caps and ends the open streams at shutdown.
 *
 * <p>Layer 3: may use {@code error}, {@code transcode}, {@code route}, {@code observe} and
 * {@code upstream}.
 */
package gaming.gateway.stream;
