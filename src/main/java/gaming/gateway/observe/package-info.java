/**
 * What the gateway observes: one {@link gaming.gateway.observe.Exchange} per request, recorded
 * into the route's meters ({@link gaming.gateway.observe.RouteMetrics}) and the access log, the
 * gateway-wide gauges, {@code /health} and the readiness check; an exchange also notes its
 * request id, error code and stream end on the current server span.
 *
 * <p>Layer 1: may use {@code error} and {@code tracing} only. It is fed by the layers above (plain
 * values and suppliers) and imports none of them.
 */
package gaming.gateway.observe;
