package gaming.gateway.nats;

import gaming.gateway.error.GatewayException;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.RequestFailureMessage;
import io.nats.client.Statistics;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The gateway's one shared NATS connection, and synchronous request/reply on it. Requests block
 * the calling (virtual) thread until the reply, and fail fast with a typed {@link GatewayException}:
 * 503 while not connected or when no service listens, 504 on timeout, 403 when the account may
 * not publish to the subject.
 *
 * <p>The gateway starts while NATS is down: the connection is made in the background and
 * re-made forever.
 */
public final class NatsClient implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(NatsClient.class.getName());

    private final NatsSettings settings;
    private final DeniedSubjects denied = new DeniedSubjects();
    private final Thread connector;
    private volatile Connection connection;
    private volatile boolean closed;

    private NatsClient(NatsSettings settings) {
        this.settings = settings;
        this.connector = Thread.ofVirtual().name("nats-connect").unstarted(this::connect);
    }

    /** Starts connecting in the background; returns at once. */
    public static NatsClient start(NatsSettings settings) {
        NatsClient client = new NatsClient(settings);
        client.connector.start();
        return client;
    }

    private void connect() {
        try {
            Connection c = Nats.connectReconnectOnConnect(NatsOptions.builder(settings, denied).build());
            if (closed) {
                c.close();
                return;
            }
            connection = c;
            LOGGER.log(Level.INFO, "NATS connection " + c.getStatus() + " to " + settings.servers());
        } catch (IOException e) {
            LOGGER.log(Level.ERROR, "NATS connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} with the connection if there is one that is connected. */
    public void ifConnected(Consumer<Connection> action) {
        Connection c = connection;
        if (c != null && c.getStatus() == Connection.Status.CONNECTED) {
            action.accept(c);
        }
    }

    /** The settings the client was made with. */
    public NatsSettings settings() {
        return settings;
    }

    /** Whether the connection is up now. */
    public boolean connected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The connection's counters (reconnects, bytes, dropped messages), or null before the first connect. */
    public Statistics statistics() {
        Connection c = connection;
        return c == null ? null : c.getStatistics();
    }

    /** The connection, or 503 while there is none that is connected. */
    public Connection connection() {
        Connection c = connection;
        if (c == null) {
            throw GatewayException.natsUnavailable("not connected yet");
        }
        Connection.Status status = c.getStatus();
        if (status != Connection.Status.CONNECTED) {
            throw GatewayException.natsUnavailable(status.name().toLowerCase());
        }
        return c;
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws GatewayException 503 (not connected, no responders), 504 (timeout), 403 (publish not
     *                          permitted)
     */
    public Message request(String subject, Headers headers, byte[] body, Duration timeout) {
        Connection c = connection();
        if (denied.denied(subject)) {
            throw GatewayException.permissionDenied(subject);
        }
        Message reply;
        try {
            reply = c.request(subject, headers, body, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        } catch (IllegalStateException e) {
            // the connection closed or started reconnecting between the check and the publish
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        if (reply instanceof RequestFailureMessage failure) {
            throw failure(subject, timeout, failure);
        }
        if (reply == null) {
            throw GatewayException.timeout(subject, timeout.toMillis());
        }
        return reply;
    }

    private static GatewayException failure(String subject, Duration timeout, RequestFailureMessage failure) {
        String lastError = failure.getLastError();
        if (lastError != null && lastError.toLowerCase().contains("permissions violation")) {
            return GatewayException.permissionDenied(subject);
        }
        return switch (failure.getReason()) {
            case NO_RESPONDERS -> GatewayException.noResponders(subject);
            case TIMEOUT -> GatewayException.timeout(subject, timeout.toMillis());
            case CONNECTION_CLOSING, CANCELLED -> GatewayException.natsUnavailable(
                    failure.getConnectionStatus().name().toLowerCase());
            case SERVER_ERROR -> GatewayException.badReply(subject, "NATS server error: " + lastError);
        };
    }

    /** Drains and closes the connection. */
    @Override
    public void close() {
        closed = true;
        connector.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.drain(Duration.ofSeconds(5)).get();
            } catch (Exception e) {
                LOGGER.log(Level.DEBUG, "NATS drain: " + e);
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
