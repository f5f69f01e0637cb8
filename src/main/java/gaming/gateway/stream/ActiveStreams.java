package gaming.gateway.stream;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The streams a gateway holds: a cap on how many, and their inboxes, so that shutdown can wake
 * every stream at once to end it with a final error event.
 */
public final class ActiveStreams {
    /** Header of the message shutdown publishes to each stream's inbox. */
    static final String SHUTDOWN_HEADER = "Gateway-Shutdown";

    private final int limit;
    private final Semaphore slots;
    private final Map<String, Open> inboxes = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public ActiveStreams(int limit) {
        this.limit = limit;
        this.slots = new Semaphore(limit);
    }

    /** Takes a slot; false when the cap is reached or the gateway is shutting down. */
    boolean tryOpen() {
        return !shuttingDown && slots.tryAcquire();
    }

    /** One open stream: the thread that relays it and the NATS connection it subscribes on. */
    static final class Open {
        private final Thread thread = Thread.currentThread();
        private final Connection connection;
        private volatile String lost;
        private boolean done;

        Open(Connection connection) {
            this.connection = connection;
        }

        /** Why the stream's NATS connection was lost, or null while it is up. */
        String lost() {
            return lost;
        }
    }

    /** Registers the calling thread's stream on {@code connection}. */
    Open register(String inbox, Connection connection) {
        Open open = new Open(connection);
        inboxes.put(inbox, open);
        return open;
    }

    /**
     * {@code connection} was lost: every stream on it is woken (its thread interrupted) to end at
     * once with a {@code NATS_CONNECTION_LOST} error event instead of waiting out its idle timeout.
     */
    public void connectionLost(Connection connection, String why) {
        for (Open open : inboxes.values()) {
            if (open.connection == connection) {
                synchronized (open) {
                    if (!open.done && open.lost == null) {
                        open.lost = why;
                        open.thread.interrupt();
                    }
                }
            }
        }
    }

    /** Called by the stream's own thread when it ends. */
    void close(String inbox) {
        Open open = inbox == null ? null : inboxes.remove(inbox);
        if (open != null) {
            synchronized (open) {
                open.done = true;
            }
            if (open.lost != null) {
                Thread.interrupted(); // a wake-up for the loss that came after the stream had ended
            }
        }
        slots.release();
    }

    int limit() {
        return limit;
    }

    /** How many streams are open now. */
    public int count() {
        return limit - slots.availablePermits();
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Refuses new streams and tells every open one to end with an {@code UNAVAILABLE} error event. */
    public void shutdown(Connection connection) {
        shuttingDown = true;
        Headers headers = new Headers().put(SHUTDOWN_HEADER, "1");
        for (String inbox : inboxes.keySet()) {
            try {
                connection.publish(inbox, headers, new byte[0]);
            } catch (RuntimeException e) {
                // connection gone: the stream ends on its idle timeout instead
            }
        }
    }
}
