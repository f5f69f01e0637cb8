package gaming.gateway.nats;

import gaming.gateway.error.GatewayException;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * One streamed reply on the gateway's NATS connection: a fresh inbox subscribed with bounded
 * pending limits, the request published with that inbox as reply subject (opened by
 * {@link NatsClient#stream}), then the chunks as they arrive. Fails with the same typed
 * {@link GatewayException}s as {@link NatsClient#request}: 503 (not connected, no responders),
 * 504 (no first chunk in time), 403 (the account may not publish to the subject).
 *
 * <p>No flush between subscribe and publish: both go out in order on the one connection, and the
 * server applies the SUB before it routes the PUB. A flush per stream would also be a PING per
 * stream, and many streams opening at once exceed jnats' limit of outstanding pings, which drops
 * the connection (seen with 1,000 concurrent streams).
 *
 * <p>When the NATS connection the stream was opened on is lost, {@link #first} and {@link #next}
 * end at once (a wait in progress too) with 503 {@code NATS_CONNECTION_LOST}: the chunks can no
 * longer arrive, and the stream need not wait out its timeout. Its {@link #cancel} is then sent
 * once the client is connected again and a service listens on the cancel subject.
 *
 * <p>Used by one (virtual) thread, which blocks in {@link #first} and {@link #next}; only
 * {@link #wake} may be called from another thread.
 */
public final class NatsStream implements AutoCloseable {
    /** Header of the message {@link #wake} publishes to the stream's own inbox. */
    static final String WAKE_HEADER = "Gateway-Shutdown";
    private static final System.Logger LOGGER = System.getLogger(NatsStream.class.getName());

    private final NatsClient client;
    private final ConnectionEpoch epoch;
    private final Connection connection;
    private final Subscription sub;
    private final String subject;
    private final String inbox;
    private final String lastErrorBefore;
    private final Object lock = new Object();
    /** The thread waiting in {@link #await} now, or null; guarded by {@link #lock}. */
    private Thread waiter;
    /** Whether {@link #lose} interrupted {@link #waiter}; guarded by {@link #lock}. */
    private boolean interruptedForLoss;
    private volatile String lost;
    private volatile boolean woken;

    NatsStream(NatsClient client, ConnectionEpoch epoch, Subscription sub, String subject, String inbox,
               String lastErrorBefore) {
        this.client = client;
        this.epoch = epoch;
        this.connection = epoch.connection();
        this.sub = sub;
        this.subject = subject;
        this.inbox = inbox;
        this.lastErrorBefore = lastErrorBefore;
    }

    /**
     * The first chunk, waiting at most {@code timeout}.
     *
     * @throws GatewayException 504 when none came in time, 403 when the server refused the publish
     *                          meanwhile, 503 when no service listens (NATS status 503) or the
     *                          connection was lost ({@code NATS_CONNECTION_LOST}), 502 for any
     *                          other NATS status
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public Message first(Duration timeout) throws InterruptedException {
        Message first = await(timeout);
        if (first == null) {
            if (NatsClient.publishDenied(connection, lastErrorBefore)) {
                throw GatewayException.permissionDenied(subject);
            }
            throw GatewayException.timeout(subject, timeout.toMillis());
        }
        if (first.isStatusMessage()) {
            if (first.getStatus().getCode() == 503) {
                throw GatewayException.noResponders(subject);
            }
            throw GatewayException.badReply(subject, "NATS status " + first.getStatus().getCode());
        }
        return first;
    }

    /**
     * The next chunk, or null when none came within {@code wait} or the stream was {@linkplain #wake woken}
     * (then {@link #woken()} is true).
     *
     * @throws GatewayException 503 {@code NATS_CONNECTION_LOST} when the connection was lost
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public Message next(Duration wait) throws InterruptedException {
        Message msg = await(wait);
        if (msg != null && msg.hasHeaders() && msg.getHeaders().containsKey(WAKE_HEADER)) {
            woken = true;
            return null;
        }
        return msg;
    }

    /**
     * Waits for the next message at most {@code wait}; ends at once with 503
     * {@code NATS_CONNECTION_LOST} when the connection is lost before or during the wait.
     */
    private Message await(Duration wait) throws InterruptedException {
        synchronized (lock) {
            if (lost != null) {
                throw GatewayException.natsConnectionLost(lost);
            }
            waiter = Thread.currentThread();
        }
        try {
            return sub.nextMessage(wait);
        } catch (InterruptedException | IllegalStateException e) {
            // interrupted by lose(), or the subscription ended with the connection
            String why = lost;
            if (why != null) {
                throw GatewayException.natsConnectionLost(why);
            }
            throw e;
        } finally {
            synchronized (lock) {
                waiter = null;
                if (interruptedForLoss) {
                    interruptedForLoss = false;
                    Thread.interrupted(); // the wake-up for the loss, not a request to stop the thread
                }
            }
        }
    }

    /**
     * The connection the stream was opened on is lost (called by {@link ConnectionEpoch}, from any
     * thread): the wait in progress, or the next one, ends with 503 {@code NATS_CONNECTION_LOST}.
     */
    void lose(String why) {
        synchronized (lock) {
            if (lost != null) {
                return;
            }
            lost = why;
            if (waiter != null) {
                interruptedForLoss = true;
                waiter.interrupt();
            }
        }
    }

    /** Whether chunks were dropped because more than the pending limits were waiting (a slow reader). */
    public boolean overflowed() {
        return sub.getDroppedCount() > 0;
    }

    /** Whether {@link #wake} ended the wait of {@link #next}. */
    public boolean woken() {
        return woken;
    }

    /** Wakes the thread waiting in {@link #next}, from any thread (at shutdown); quietly does nothing when the connection is gone. */
    public void wake() {
        try {
            connection.publish(inbox, new Headers().put(WAKE_HEADER, "1"), new byte[0]);
        } catch (RuntimeException e) {
            // connection gone: the stream ends on its idle timeout instead
        }
    }

    /**
     * Stops receiving at once, then publishes {@code body} to {@code cancelSubject} (a best effort:
     * a failure is logged, not thrown). When the stream's connection was lost, it is sent once the
     * client is connected again and a service listens on {@code cancelSubject}, tried again for up
     * to 30 s while none does ({@link NatsClient#sendWhenHeard}): the service lost its connection in
     * the same outage and may reconnect after the gateway.
     */
    public void cancel(String cancelSubject, byte[] body) {
        close();
        if (lost != null) {
            client.sendWhenHeard(cancelSubject, body);
        } else {
            publish(connection, cancelSubject, body);
        }
    }

    private static void publish(Connection c, String subject, byte[] body) {
        try {
            c.publish(subject, body);
        } catch (RuntimeException e) {
            LOGGER.log(Level.DEBUG, "cancel not sent: " + e);
        }
    }

    /** Unsubscribes; no more chunks arrive. Idempotent. */
    @Override
    public void close() {
        epoch.remove(this);
        try {
            if (sub.isActive()) {
                sub.unsubscribe();
            }
        } catch (IllegalStateException e) {
            LOGGER.log(Level.DEBUG, "unsubscribe after the connection closed: " + e);
        }
    }
}
