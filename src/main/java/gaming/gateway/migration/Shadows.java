package gaming.gateway.migration;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The background pool of shadow copies and comparisons: at most {@code maxConcurrent} run at once
 * (each on a virtual thread), at most {@code maxQueued} wait; beyond that a copy is not made and
 * counted as {@code skipped}. Submitting never blocks and never fails the client's request.
 */
public final class Shadows implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    private Shadows(int maxConcurrent, int maxQueued) {
        this.pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 30, TimeUnit.SECONDS,
                                           new ArrayBlockingQueue<>(maxQueued),
                                           Thread.ofVirtual().name("shadow-", 0).factory(),
                                           new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * @param maxConcurrent shadow copies running at once, &gt; 0
     * @param maxQueued     shadow copies waiting, &gt; 0
     */
    public static Shadows create(int maxConcurrent, int maxQueued) {
        if (maxConcurrent <= 0 || maxQueued <= 0) {
            throw new IllegalArgumentException("shadow max-concurrent and max-queued must be > 0");
        }
        return new Shadows(maxConcurrent, maxQueued);
    }

    /** Runs {@code task} in the background; false (and nothing runs) when the pool is full or closed. */
    boolean submit(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Stops taking copies; running ones are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
