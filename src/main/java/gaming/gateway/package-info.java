/**
 * The wiring: {@link gaming.gateway.Gateway} builds every part from
 * {@code GatewaySettings} and registers them on Helidon's routing; {@link gaming.gateway.Main}
 * starts it.
 *
 * <p>Top layer: the only package that may use every other; none of them uses it.
 */
package gaming.gateway;
