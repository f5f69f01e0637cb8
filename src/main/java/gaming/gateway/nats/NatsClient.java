package gaming.gateway.nats;

import gaming.gateway.error.GatewayException;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Statistics;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsRequestCompletableFuture;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
            LOGGER.log(Level.DEBUG, "NATS connection " + c.getStatus() + " to " + settings.servers()); // ConnectionLog logs the change
        } catch (IOException e) {
            LOGGER.log(Level.ERROR, "NATS connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} with the connection if there is one that is connected. */
    public void ifConnected(Consumer<Connection> action) {
        Connection c = connection;
        if (isUp(c)) {
            action.accept(c);
        }
    }

    /** Whether the connection is up now. */
    public boolean connected() {
        return isUp(connection);
    }

    private static boolean isUp(Connection c) {
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The connection's counters (reconnects, bytes, dropped messages), or null before the first connect. */
    public Statistics statistics() {
        Connection c = connection;
        return c == null ? null : c.getStatistics();
    }

    /**
     * JetStream key-value management on the connection (bucket status, create), for the
     * idempotency records.
     *
     * @param options the JetStream options, e.g. the request timeout
     * @throws GatewayException 503 while not connected
     * @throws IOException      when JetStream is not enabled on the server or account
     */
    public KeyValueManagement keyValueManagement(KeyValueOptions options) throws IOException {
        return connection().keyValueManagement(options);
    }

    /**
     * The JetStream key-value bucket {@code bucket} on the connection; the bucket must exist.
     *
     * @param options the JetStream options, e.g. the request timeout
     * @throws GatewayException 503 while not connected
     * @throws IOException      when JetStream is not enabled on the server or account
     */
    public KeyValue keyValue(String bucket, KeyValueOptions options) throws IOException {
        return connection().keyValue(bucket, options);
    }

    /** The connection, or 503 while there is none that is connected. */
    private Connection connection() {
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
     * Checks that a message of {@code payload} bytes with {@code headers} fits the largest message
     * the connected server announced in its {@code INFO} ({@code max_payload}, which counts headers
     * and payload together): the server would otherwise refuse it and close the connection. Checked
     * before every request and stream.
     *
     * @throws GatewayException 413 {@code PAYLOAD_TOO_LARGE} naming the limit
     */
    private static void checkFits(Connection c, Headers headers, byte[] payload) {
        long max = c.getMaxPayload();
        long size = (long) payload.length + (headers == null || headers.isEmpty() ? 0 : headers.serializedLength());
        if (max > 0 && size > max) {
            throw GatewayException.natsPayloadTooLarge(size, max);
        }
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws GatewayException 503 (not connected, no responders), 504 (timeout), 403 (publish not
     *                          permitted), 413 (headers and body larger than the server's {@code max_payload})
     */
    public Message request(String subject, Headers headers, byte[] body, Duration timeout) {
        Connection c = permitted(subject);
        checkFits(c, headers, body);
        String lastErrorBefore = c.getLastError();
        CompletableFuture<Message> reply;
        try {
            // jnats times this future out itself (NatsOptions.REQUEST_CLEANUP_INTERVAL), so the wait
            // below needs no timer: a timed park of a virtual thread goes through the JDK's delay
            // scheduler thread, a context switch and about 4 µs per request (bench/README.md).
            reply = c.requestWithTimeout(subject, headers, body, timeout);
        } catch (IllegalStateException e) {
            // the connection closed or started reconnecting between the check and the publish
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        try {
            return reply.get();
        } catch (InterruptedException e) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        } catch (CancellationException | ExecutionException e) {
            throw failure(subject, timeout, c, lastErrorBefore, reply, e);
        }
    }

    /**
     * Opens a streamed reply: subscribes a fresh inbox with the pending limits, then publishes
     * {@code body} to {@code subject} with that inbox as reply subject. Read the chunks with
     * {@link NatsStream#first} and {@link NatsStream#next}; close the stream when done.
     *
     * @param maxPendingMessages chunks queued for a slow reader before chunks are dropped
     * @param maxPendingBytes    bytes queued for a slow reader before chunks are dropped
     * @throws GatewayException 503 (not connected), 403 (publish to {@code subject} refused lately),
     *                          413 (headers and body larger than the server's {@code max_payload})
     */
    public NatsStream stream(String subject, Headers headers, byte[] body, long maxPendingMessages,
                             long maxPendingBytes) {
        Connection c = permitted(subject);
        checkFits(c, headers, body);
        String lastErrorBefore = c.getLastError();
        String inbox = c.createInbox();
        Subscription sub;
        try {
            sub = c.subscribe(inbox);
        } catch (IllegalStateException e) {
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        NatsStream stream = new NatsStream(c, sub, subject, inbox, lastErrorBefore);
        try {
            sub.setPendingLimits(maxPendingMessages, maxPendingBytes);
            c.publish(subject, inbox, headers, body);
        } catch (IllegalStateException e) {
            stream.close();
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        return stream;
    }

    /** The connected connection, if {@code subject} is not one the server refused lately (403). */
    private Connection permitted(String subject) {
        Connection c = connection();
        if (denied.denied(subject)) {
            throw GatewayException.permissionDenied(subject);
        }
        return c;
    }

    /** Whether the server reported a publish permission violation since {@code lastErrorBefore}. */
    static boolean publishDenied(Connection c, String lastErrorBefore) {
        String lastError = c.getLastError();
        return lastError != null && !lastError.equals(lastErrorBefore)
                && lastError.toLowerCase().contains("permissions violation");
    }

    /**
     * Why {@code reply} failed. jnats cancels the future when it times out, when the connection
     * closes, and on a no-responders status (its default cancel action); a {@code -ERR} that
     * arrived meanwhile tells a publish permission violation.
     */
    private static GatewayException failure(String subject, Duration timeout, Connection c, String lastErrorBefore,
                                            CompletableFuture<Message> reply, Exception e) {
        if (publishDenied(c, lastErrorBefore)) {
            return GatewayException.permissionDenied(subject);
        }
        if (reply instanceof NatsRequestCompletableFuture f) {
            if (f.wasCancelledTimedOut()) {
                return GatewayException.timeout(subject, timeout.toMillis());
            }
            if (f.wasCancelledClosing()) {
                return GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
            }
        }
        if (e instanceof CancellationException) {
            return GatewayException.noResponders(subject);
        }
        return GatewayException.badReply(subject, "NATS: " + e.getCause());
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
