/**
 * The {@code check} command: validates a configuration's route table and descriptor sets with the
 * same code the gateway runs at start-up ({@link gaming.gateway.route.RouteTable#create}), prints
 * the resolved routes, and starts nothing.
 *
 * <p>Layer 2: reads the route table ({@code route}) with {@code config} and {@code nats} settings;
 * no gateway package uses it (the launcher outside the gateway runs it).
 */
package gaming.gateway.check;
