/**
 * Cross-Origin Resource Sharing (Fetch standard, "CORS protocol"): the gateway-wide and per-route
 * policies read from {@code gateway.cors} and the routes' {@code cors} blocks
 * ({@link gaming.gateway.cors.CorsSettings}), applied by Helidon's {@code CorsFeature} (its filter
 * answers preflights' headers and adds the CORS headers to every answer, errors included, for an
 * allowed origin). Off unless some allowed origin is configured.
 *
 * <p>Layer 1: may use {@code error} and {@code config} only.
 */
package gaming.gateway.cors;
