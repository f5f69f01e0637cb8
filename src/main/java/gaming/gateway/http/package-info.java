/**
 * Everything that speaks Helidon request and response around the routes: admission (in-flight
 * cap, drain), writing a {@link gaming.gateway.error.GatewayException} as problem+json, the direct
 * handler for errors Helidon answers itself, the catch-all 404, and reading a request body; and the
 * HTTP rules the gateway applies itself on top of Helidon: media types and {@code Accept}
 * negotiation (RFC 9110 §8.3.1, §12.5.1), the canonical request target, chunk extensions, trailers
 * and HTTP/1.0 on a connection ({@code ChunkFraming}, RFC 9112 §7.1), and how a connection ends
 * when a response goes out before the request's body was read (RFC 9110 §10.1.1).
 *
 * <p>Layer 3: may use {@code error}, {@code transcode}, {@code observe} and {@code tracing}.
 */
package gaming.gateway.http;
