/**
 * The route model: {@link gaming.gateway.route.RouteTable} read and validated from configuration,
 * each {@link gaming.gateway.route.Route} (path, subject, message types, timeout, status
 * overrides, optional {@link gaming.gateway.route.StreamSpec}, its
 * {@link gaming.gateway.route.IdempotencyPolicy}), its message types (generated, or from the
 * descriptor sets of {@link gaming.gateway.route.DescriptorSets}) and the errors of a bad table.
 *
 * <p>Layer 1: may use {@code error} only. The service that serves a route is {@code serve/}.
 */
package gaming.gateway.route;
