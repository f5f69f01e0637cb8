/**
 * Everything that speaks Helidon request and response around the routes: admission (in-flight
 * cap, drain), writing a {@link gaming.gateway.error.GatewayException} as problem+json, the direct
 * handler for errors Helidon answers itself, the catch-all 404, and reading a request body.
 *
 * <p>Layer 3: may use {@code error}, {@code transcode} and {@code observe}.
 */
package gaming.gateway.http;
