package gaming.gateway.stream;

import gaming.gateway.upstream.Upstream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The streams a gateway holds: a cap on how many, and the open ones, so that shutdown can wake
 * every stream at once to end it with a final error event.
 */
public final class ActiveStreams {
    private final int limit;
    private final Semaphore slots;
    private final Set<Upstream.Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public ActiveStreams(int limit) {
        this.limit = limit;
        this.slots = new Semaphore(limit);
    }

    /** Takes a slot; false when the cap is reached or the gateway is shutting down. */
    boolean tryOpen() {
        return !shuttingDown && slots.tryAcquire();
    }

    /** Notes an open stream, for {@link #shutdown} to wake. */
    void register(Upstream.Stream stream) {
        open.add(stream);
    }

    /** Gives back the slot of {@link #tryOpen}; {@code stream} is the one registered, or null. */
    void close(Upstream.Stream stream) {
        if (stream != null) {
            open.remove(stream);
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
    public void shutdown() {
        shuttingDown = true;
        for (Upstream.Stream stream : open) {
            stream.wake();
        }
    }
}
