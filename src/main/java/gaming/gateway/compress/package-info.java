/**
 * Response compression: gzip (RFC 9110 section 8.4.1.3) of JSON answers above a size threshold
 * when the client's {@code Accept-Encoding} allows it, done where the gateway writes the body
 * (Helidon's content encoding has no size or media-type filter and would also buffer SSE).
 *
 * <p>Layer 1: may use {@code error} and {@code config} only.
 */
package gaming.gateway.compress;
