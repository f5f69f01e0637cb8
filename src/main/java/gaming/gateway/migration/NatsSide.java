package gaming.gateway.migration;

/**
 * The NATS side of one request, as the route service does it: {@link RouteMigration} decides
 * whether and how it is used.
 */
public interface NatsSide {
    /**
     * What NATS answered, as the client gets (or would get) it.
     *
     * @param status the HTTP status (200, or the one the service set through its reply headers)
     * @param body   the JSON body; empty for a bodiless answer (e.g. 304)
     */
    record Answer(int status, byte[] body) {
    }

    /**
     * Serves the client from NATS exactly as a route without migration does (idempotency, reply
     * headers, compression).
     *
     * @return the answer sent, or null when it is not compared: a stream, or an answer replayed
     *         from the idempotency records
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    Answer serve();

    /**
     * Sends a shadow copy (NATS header {@code Gateway-Shadow: true}) and returns the answer the
     * client would have got; called on a background thread after the client has its answer.
     *
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    Answer shadow();
}
