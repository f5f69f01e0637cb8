package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.api.ServerInfo;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * One log line per change of the NATS connection, whatever jnats reports in between: connected
 * (which server), cannot reach NATS at start, disconnected, reconnected. jnats reports
 * {@code DISCONNECTED} again for every failed reconnect attempt (every 0.5–1 s) and
 * {@code RECONNECTED} for the first connect after a failed start; this class turns that into
 * state changes. Other events go on to {@code next} (lame duck).
 */
final class ConnectionLog implements ConnectionListener {
    private static final System.Logger LOGGER = System.getLogger(ConnectionLog.class.getName());

    private enum State { STARTING, UNREACHABLE, CONNECTED, DISCONNECTED }

    private final List<String> servers;
    private final ConnectionListener next;
    private State state = State.STARTING;
    private String lastProblem = "";
    private String connectedUrl;

    ConnectionLog(List<String> servers, ConnectionListener next) {
        this.servers = servers;
        this.next = next;
    }

    /** Notes why the last connect attempt failed, for the "cannot reach" line (from the error listener). */
    synchronized void connectProblem(Exception e) {
        lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case CONNECTED, RECONNECTED -> up(conn);
            case DISCONNECTED -> down(conn);
            default -> next.connectionEvent(conn, type);
        }
    }

    private synchronized void up(Connection conn) {
        State before = state;
        state = State.CONNECTED;
        if (before == State.CONNECTED) {
            return;
        }
        connectedUrl = conn.getConnectedUrl();
        String server = connectedUrl + describe(conn.getServerInfo());
        LOGGER.log(Level.INFO, before == State.DISCONNECTED ? "NATS reconnected to " + server : "NATS connected to " + server);
    }

    private synchronized void down(Connection conn) {
        switch (state) {
            case STARTING -> {
                state = State.UNREACHABLE;
                LOGGER.log(Level.WARNING, "cannot reach NATS at " + String.join(",", servers)
                        + (lastProblem.isEmpty() ? "" : " (" + lastProblem + ")")
                        + "; retrying every 0.5-1 s, requests get 503 NATS_UNAVAILABLE until connected");
            }
            case CONNECTED -> {
                state = State.DISCONNECTED;
                LOGGER.log(Level.WARNING, "NATS disconnected from " + connectedUrl
                        + "; reconnecting, requests get 503 NATS_UNAVAILABLE until reconnected");
            }
            default -> {
                // another failed attempt of the same outage
            }
        }
    }

    private static String describe(ServerInfo info) {
        return info == null ? "" : " (server " + info.getServerName() + ", nats-server " + info.getVersion() + ")";
    }
}
