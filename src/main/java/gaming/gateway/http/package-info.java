/**
 * HTTP rules the gateway applies itself on top of Helidon: media types and {@code Accept}
 * negotiation (RFC 9110 §8.3.1, §12.5.1), the canonical request target, and how a connection ends
 * when a response goes out before the request's body was read (RFC 9110 §10.1.1). Depends only on
 * {@code error} and {@code observe}.
 */
package gaming.gateway.http;
