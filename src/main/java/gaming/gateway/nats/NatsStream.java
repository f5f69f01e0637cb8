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
 * <p>Used by one (virtual) thread, which blocks in {@link #first} and {@link #next}; only
 * {@link #wake} may be called from another thread.
 */
public final class NatsStream implements AutoCloseable {
    /** Header of the message {@link #wake} publishes to the stream's own inbox. */
    static final String WAKE_HEADER = "Gateway-Shutdown";
    private static final System.Logger LOGGER = System.getLogger(NatsStream.class.getName());

    private final Connection connection;
    private final Subscription sub;
    private final String subject;
    private final String inbox;
    private final String lastErrorBefore;
    private volatile boolean woken;

    NatsStream(Connection connection, Subscription sub, String subject, String inbox, String lastErrorBefore) {
        this.connection = connection;
        this.sub = sub;
        this.subject = subject;
        this.inbox = inbox;
        this.lastErrorBefore = lastErrorBefore;
    }

    /**
     * The first chunk, waiting at most {@code timeout}.
     *
     * @throws GatewayException 504 when none came in time, 403 when the server refused the publish
     *                          meanwhile, 503 when no service listens (NATS status 503), 502 for any
     *                          other NATS status
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public Message first(Duration timeout) throws InterruptedException {
        Message first = sub.nextMessage(timeout);
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
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public Message next(Duration wait) throws InterruptedException {
        Message msg = sub.nextMessage(wait);
        if (msg != null && msg.hasHeaders() && msg.getHeaders().containsKey(WAKE_HEADER)) {
            woken = true;
            return null;
        }
        return msg;
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
     * a failure is logged, not thrown).
     */
    public void cancel(String cancelSubject, byte[] body) {
        close();
        try {
            connection.publish(cancelSubject, body);
        } catch (RuntimeException e) {
            LOGGER.log(Level.DEBUG, "cancel not sent: " + e);
        }
    }

    /** Unsubscribes; no more chunks arrive. */
    @Override
    public void close() {
        if (sub.isActive()) {
            sub.unsubscribe();
        }
    }
}
