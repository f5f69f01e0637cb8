/**
 * The {@code check} command: validates a configuration's route table and descriptor sets with the
 * same code the gateway runs at start-up ({@link gaming.gateway.route.RouteTable#create}), prints
 * the resolved routes, and starts nothing.
 */
package gaming.gateway.check;
