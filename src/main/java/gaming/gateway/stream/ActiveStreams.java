package gaming.gateway.stream;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;

import java.util.Set;
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
    private final Set<String> inboxes = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public ActiveStreams(int limit) {
        this.limit = limit;
        this.slots = new Semaphore(limit);
    }

    /** Takes a slot; false when the cap is reached or the gateway is shutting down. */
    boolean tryOpen() {
        return !shuttingDown && slots.tryAcquire();
    }

    void register(String inbox) {
        inboxes.add(inbox);
    }

    void close(String inbox) {
        if (inbox != null) {
            inboxes.remove(inbox);
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
        for (String inbox : inboxes) {
            try {
                connection.publish(inbox, headers, new byte[0]);
            } catch (RuntimeException e) {
                // connection gone: the stream ends on its idle timeout instead
            }
        }
    }
}
