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
     * @param body   the JSON body; empty for a bodiless answer (e.g. 304); for a stream, its events
     *               as {@code gaming.gateway.stream.SseRelay#collect} writes them
     * @param stream whether the answer is an event stream
     */
    record Answer(int status, byte[] body, boolean stream) {
    }

    /**
     * Serves the client from NATS exactly as a route without migration does (idempotency, reply
     * headers, compression).
     *
     * @param compared whether the answer will be compared: a stream's events are then copied as they
     *                 are sent
     * @return the answer sent, or null when it is not compared (a stream when not {@code compared},
     *         or an answer replayed from the idempotency records)
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    Answer serve(boolean compared);

    /**
     * Sends a shadow copy (NATS header {@code Gateway-Shadow: true}) and returns the answer the
     * client would have got; called on a background thread after the client has its answer.
     *
     * @param stream whether to ask for an event stream (the primary side answered with one): its
     *               events are read to the end
     * @throws gaming.gateway.error.GatewayException as the route's NATS path does
     */
    Answer shadow(boolean stream);
}
