package gaming.gateway.migration;

/**
 * The NATS side of one request, as the route service does it: {@link RouteMigration} decides
 * whether and how it is used.
 */
public interface NatsSide {
    /**
     * Serves the client from NATS exactly as a route without migration does.
     *
     * @return the JSON body sent to the client, or null when the answer was a stream
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    byte[] serve();

    /**
     * Sends a shadow copy (NATS header {@code Gateway-Shadow: true}) and returns the reply as the JSON
     * the client would have got; called on a background thread after the client has its answer.
     *
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    byte[] shadow();
}
