/**
 * What the gateway observes: one {@link gaming.gateway.observe.Exchange} per request, recorded
 * into the route's meters ({@link gaming.gateway.observe.RouteMetrics}) and the access log, the
 * gateway-wide gauges, {@code /health} and the readiness check.
 *
 * <p>Layer 1: may use {@code error} only. It is fed by the layers above (plain values and
 * suppliers) and imports none of them.
 */
package gaming.gateway.observe;
