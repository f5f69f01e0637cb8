package gaming.gateway.nats;

import gaming.gateway.error.GatewayException;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.ConnectionListener;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * The gateway's one shared NATS connection, and synchronous request/reply on it. Requests block
 * the calling (virtual) thread until the reply, and fail fast with a typed {@link GatewayException}:
 * 503 while not connected or when no service listens, 504 on timeout, 403 when the account may
 * not publish to the subject.
 *
 * <p>The gateway starts while NATS is down: the connection is made in the background and
 * re-made forever.
 *
 * <p>Requests and streams are tracked per {@link ConnectionEpoch}: when the connection they were
 * sent on is lost (jnats {@code DISCONNECTED}: the socket failed, or pings went unanswered), they
 * fail at once with 503 {@code NATS_CONNECTION_LOST} instead of waiting out their route timeout
 * (a stream's {@link NatsStream#first}/{@link NatsStream#next} throw it). When the server announces
 * lame-duck mode, a second connection is made (to another server of the cluster) and new requests
 * and streams go there, while those in flight finish on the old connection, which is then closed.
 */
public final class NatsClient implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(NatsClient.class.getName());
    /** Longest a lame-duck server's old connection is kept for the requests still in flight on it. */
    private static final Duration RETIRE_WAIT = Duration.ofSeconds(60);
    /** Longest a message deferred by a lost connection is tried again while no service listens to it. */
    static final Duration DEFERRED_WAIT = Duration.ofSeconds(30);
    /** Pause before the first retry of a deferred message; it doubles up to {@link #DEFERRED_PAUSE_MAX}. */
    private static final Duration DEFERRED_PAUSE = Duration.ofMillis(250);
    private static final Duration DEFERRED_PAUSE_MAX = Duration.ofSeconds(2);
    /** How long a deferred message waits for a reply or a no-responders status before it counts as heard. */
    private static final Duration DEFERRED_REPLY_WAIT = Duration.ofSeconds(2);

    private final NatsSettings settings;
    private final DeniedSubjects denied = new DeniedSubjects();
    private final Thread connector;
    private final ConnectionListener events = this::connectionEvent;
    /** Requests waiting for a reply, counted here: jnats' own counter goes below zero (issue 12). */
    private final LongAdder outstanding = new LongAdder();
    /** Old connections of lame-duck servers that finish their requests before they are closed. */
    private final Set<ConnectionEpoch> retiring = ConcurrentHashMap.newKeySet();
    private final Queue<Consumer<Connection>> whenConnected = new ConcurrentLinkedQueue<>();
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private volatile ConnectionEpoch epoch;
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
            c.addConnectionListener(events);
            epoch = new ConnectionEpoch(c);
            tellConnected();
            LOGGER.log(Level.DEBUG, "NATS connection " + c.getStatus() + " to " + settings.servers()); // ConnectionLog logs the change
        } catch (IOException e) {
            LOGGER.log(Level.ERROR, "NATS connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} with the connection if there is one that is connected. */
    public void ifConnected(Consumer<Connection> action) {
        Connection c = current();
        if (isUp(c)) {
            action.accept(c);
        }
    }

    /** Whether the connection is up now. */
    public boolean connected() {
        return isUp(current());
    }

    private Connection current() {
        ConnectionEpoch e = epoch;
        return e == null ? null : e.connection();
    }

    private static boolean isUp(Connection c) {
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The connection's counters (reconnects, bytes, dropped messages), or null before the first connect. */
    public Statistics statistics() {
        Connection c = current();
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
        return upEpoch().connection().keyValueManagement(options);
    }

    /**
     * The JetStream key-value bucket {@code bucket} on the connection; the bucket must exist.
     *
     * @param options the JetStream options, e.g. the request timeout
     * @throws GatewayException 503 while not connected
     * @throws IOException      when JetStream is not enabled on the server or account
     */
    public KeyValue keyValue(String bucket, KeyValueOptions options) throws IOException {
        return upEpoch().connection().keyValue(bucket, options);
    }

    /** The epoch of the connection, or 503 while there is none that is connected. */
    private ConnectionEpoch upEpoch() {
        ConnectionEpoch e = epoch;
        if (e == null) {
            throw GatewayException.natsUnavailable("not connected yet");
        }
        Connection.Status status = e.connection().getStatus();
        if (status != Connection.Status.CONNECTED) {
            throw GatewayException.natsUnavailable(status.name().toLowerCase());
        }
        return e;
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
        ConnectionEpoch sentOn = permitted(subject);
        Connection c = sentOn.connection();
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
        outstanding.increment();
        sentOn.add(reply);
        try {
            return reply.get();
        } catch (InterruptedException e) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        } catch (CancellationException | ExecutionException e) {
            throw failure(subject, timeout, c, lastErrorBefore, reply, e);
        } finally {
            sentOn.remove(reply);
            outstanding.decrement();
        }
    }

    /** Requests sent and waiting for their reply now (never below zero). */
    public long outstandingRequests() {
        return Math.max(0, outstanding.sum());
    }

    /**
     * Calls {@code listener} each time the connection is made or made again: the first connect, every
     * reconnect (jnats {@code RECONNECTED} and {@code RESUBSCRIBED}, so possibly twice), and the move to
     * a new connection when the server enters lame-duck mode. It runs on a NATS thread: it must return
     * at once (signal another thread) and not throw.
     */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    private void tellConnected() {
        for (Runnable listener : connectedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.DEBUG, "NATS connected listener failed: " + e);
            }
        }
    }

    /** Runs {@code action} with the connection now if it is up, else once it is (re)connected. */
    void whenConnected(Consumer<Connection> action) {
        Connection c = current();
        if (isUp(c)) {
            action.accept(c);
        } else {
            whenConnected.add(action);
        }
    }

    /**
     * Sends {@code body} to {@code subject} once the client is connected again and a service listens
     * on {@code subject} (a stream's cancel whose connection was lost). The service most likely lost
     * its connection in the same outage and may come back after the gateway (jnats' and nats.go's
     * default reconnect wait is 2 s, the gateway's 0.25 s): a plain publish then reaches no one. So it
     * goes out as a request, on a virtual thread, from the reconnect on: a no-responders status means
     * no subscription to {@code subject} yet, and it is tried again after 0.25 s, doubling up to 2 s,
     * for at most {@link #DEFERRED_WAIT} (30 s) in all; a reply, or none within 2 s (a service that
     * does not answer), means it was heard. A best effort: not delivered by then, it is dropped
     * (logged at DEBUG).
     */
    void sendWhenHeard(String subject, byte[] body) {
        whenConnected(c -> Thread.ofVirtual().name("nats-deferred").start(() -> deliver(subject, body)));
    }

    private void deliver(String subject, byte[] body) {
        long deadline = System.nanoTime() + DEFERRED_WAIT.toNanos();
        long pause = DEFERRED_PAUSE.toMillis();
        while (!closed) {
            Connection c = current();
            if (isUp(c) && heard(c, subject, body)) {
                return;
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, DEFERRED_PAUSE_MAX.toMillis());
        }
        LOGGER.log(Level.DEBUG, "deferred message to " + subject + " not delivered: no service listened within "
                + DEFERRED_WAIT.toSeconds() + " s of the reconnect");
    }

    /**
     * Sends one request; false when no service listens on {@code subject} (no responders) or the
     * connection went away meanwhile, true on a reply or when none came in time.
     */
    private static boolean heard(Connection c, String subject, byte[] body) {
        CompletableFuture<Message> reply;
        try {
            reply = c.requestWithTimeout(subject, null, body, DEFERRED_REPLY_WAIT);
        } catch (IllegalStateException e) {
            return false; // not connected any more
        }
        try {
            Message m = reply.get();
            return !(m.isStatusMessage() && m.getStatus().getCode() == 503);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // stop trying
        } catch (CancellationException | ExecutionException e) {
            if (reply instanceof NatsRequestCompletableFuture f) {
                if (f.wasCancelledTimedOut()) {
                    return true; // a subscriber got it and did not answer
                }
                if (f.wasCancelledClosing()) {
                    return false;
                }
            }
            return false; // no responders: jnats cancels the future (the default cancel action)
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        switch (type) {
            case DISCONNECTED, CLOSED -> lost(conn, type == ConnectionListener.Events.CLOSED ? "closed" : "disconnected");
            case CONNECTED, RECONNECTED, RESUBSCRIBED -> runWhenConnected(conn);
            case LAME_DUCK -> Thread.ofVirtual().name("nats-lame-duck").start(() -> moveOff(conn));
            default -> {
            }
        }
    }

    private void lost(Connection conn, String why) {
        ConnectionEpoch e = epoch;
        if (e != null && e.connection() == conn) {
            if (!e.isLost()) {
                epoch = new ConnectionEpoch(conn); // the same jnats connection after it reconnects
                e.lose(why);
            }
        } else {
            for (ConnectionEpoch old : retiring) {
                if (old.connection() == conn) {
                    retiring.remove(old);
                    old.lose(why);
                }
            }
        }
    }

    private void runWhenConnected(Connection conn) {
        if (!isUp(conn) || conn != current()) {
            return;
        }
        for (Consumer<Connection> action; (action = whenConnected.poll()) != null; ) {
            try {
                action.accept(conn);
            } catch (RuntimeException e) {
                LOGGER.log(Level.DEBUG, "deferred NATS action failed: " + e);
            }
        }
        tellConnected();
    }

    /**
     * The server of {@code conn} entered lame-duck mode: a second connection takes new requests
     * and streams, the old one keeps those in flight until they end (at most {@link #RETIRE_WAIT}),
     * then closes.
     * With no other server to connect to, the old connection stays in use until the server closes it.
     */
    private void moveOff(Connection conn) {
        ConnectionEpoch old = epoch;
        if (closed || old == null || old.connection() != conn) {
            return;
        }
        Connection fresh;
        try {
            fresh = Nats.connect(NatsOptions.builder(settings, denied).build());
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "NATS lame duck: no other server to move to (" + e.getMessage()
                    + "); staying on " + conn.getConnectedUrl() + " until it closes");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closed || epoch != old) {
            closeQuietly(fresh);
            return;
        }
        fresh.addConnectionListener(events);
        retiring.add(old);
        epoch = new ConnectionEpoch(fresh);
        runWhenConnected(fresh);
        long deadline = System.nanoTime() + RETIRE_WAIT.toNanos();
        while (old.pending() > 0 && System.nanoTime() < deadline && !old.isLost()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        retiring.remove(old);
        closeQuietly(conn);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        ConnectionEpoch sentOn = permitted(subject);
        Connection c = sentOn.connection();
        checkFits(c, headers, body);
        String lastErrorBefore = c.getLastError();
        String inbox = c.createInbox();
        Subscription sub;
        try {
            sub = c.subscribe(inbox);
        } catch (IllegalStateException e) {
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        NatsStream stream = new NatsStream(this, sentOn, sub, subject, inbox, lastErrorBefore);
        sentOn.add(stream);
        try {
            sub.setPendingLimits(maxPendingMessages, maxPendingBytes);
            c.publish(subject, inbox, headers, body);
        } catch (IllegalStateException e) {
            stream.close();
            throw GatewayException.natsUnavailable(c.getStatus().name().toLowerCase());
        }
        return stream;
    }

    /** The connected connection's epoch, if {@code subject} is not one the server refused lately (403). */
    private ConnectionEpoch permitted(String subject) {
        ConnectionEpoch e = upEpoch();
        if (denied.denied(subject)) {
            throw GatewayException.permissionDenied(subject);
        }
        return e;
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
        if (e.getCause() instanceof ConnectionEpoch.ConnectionLostException lost) {
            return GatewayException.natsConnectionLost(lost.getMessage());
        }
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
        for (ConnectionEpoch old : retiring) {
            closeQuietly(old.connection());
        }
        Connection c = current();
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
