package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;

import java.lang.System.Logger.Level;

/**
 * Notes a server that enters lame-duck mode (it is about to shut down). {@link NatsClient} moves
 * new requests to a second connection while the requests in flight finish on this one.
 */
final class LameDuckListener implements ConnectionListener {
    private static final System.Logger LOGGER = System.getLogger(LameDuckListener.class.getName());

    @Override
    public void connectionEvent(Connection conn, Events type) {
        if (type == Events.LAME_DUCK) {
            LOGGER.log(Level.WARNING, "NATS server " + conn.getConnectedUrl() + " is in lame-duck mode: moving new requests"
                    + " to another server");
        }
    }
}
