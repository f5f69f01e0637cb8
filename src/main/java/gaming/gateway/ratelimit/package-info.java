/**
 * Per-route, per-client request rate limits: token buckets held by each gateway instance (N
 * instances allow N times the rate), keyed by user, tenant, client id or remote address, with
 * bounded memory, and the {@code RateLimit-Policy}/{@code RateLimit} response headers of the IETF
 * draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers).
 *
 * <p>Layer 1: may use {@code error} and {@code config} only.
 */
package gaming.gateway.ratelimit;
