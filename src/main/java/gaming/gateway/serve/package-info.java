/**
 * The top of the request path: {@link gaming.gateway.serve.RouteService} tells one request's
 * story (admission per route, trace, identity and {@code Meta}, body, upstream call, reply or
 * stream, observation).
 *
 * <p>Layer 4: may use every package below; only the wiring class
 * {@link gaming.gateway.Gateway} uses it.
 */
package gaming.gateway.serve;
