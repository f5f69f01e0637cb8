/**
 * Bytes and headers to messages and back: the strict JSON codecs (proto3 JSON mapping) of a
 * route's request and reply, HTTP headers to {@code Meta}, W3C trace context, path parameters,
 * and {@link gaming.gateway.transcode.ReplyDecoder}, which turns an upstream reply (its service-error
 * headers, its bytes, its {@code error} field) into a message or a typed error for both the plain
 * and the streaming path, and {@link gaming.gateway.transcode.ReplyHeaders}, the allow-list of
 * reply headers through which a service sets the HTTP status and headers.
 *
 * <p>Layer 1: may use {@code error} and {@code tracing} (the current span:
 * {@link gaming.gateway.tracing.Spans}) only.
 */
package gaming.gateway.transcode;
