package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Moves the connection off a server that enters lame-duck mode (it is about to shut down), so
 * requests go to another server of the cluster before that one closes connections.
 */
final class LameDuckListener implements ConnectionListener {
    private static final System.Logger LOGGER = System.getLogger(LameDuckListener.class.getName());

    @Override
    public void connectionEvent(Connection conn, Events type) {
        if (type == Events.LAME_DUCK) {
            LOGGER.log(Level.WARNING, "NATS server " + conn.getConnectedUrl() + " is in lame-duck mode: reconnecting elsewhere");
            Thread.ofVirtual().name("nats-lame-duck").start(() -> {
                try {
                    conn.forceReconnect();
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "reconnect after lame-duck failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
