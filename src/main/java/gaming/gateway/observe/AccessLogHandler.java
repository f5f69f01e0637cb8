package gaming.gateway.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes access log lines to stdout as they are: the message alone, one line each. Named in
 * {@code logging.properties} as the handler of the {@code gateway.access} logger.
 *
 * <p>Requests never wait for stdout: {@link #publish} only puts the line in a bounded queue. One
 * background thread writes the queued lines, many per write call, and flushes whenever the queue
 * is empty; while lines keep coming it gathers them for {@link #BATCH_WINDOW_NANOS} between writes.
 * When the queue is full (stdout slower than the requests), the line is dropped and counted
 * ({@link #dropped()}, the meter {@code gateway.access.log.dropped}) rather than blocking the request.
 * {@link #flush()} and {@link #close()} (at JVM exit) write what is queued.
 */
public final class AccessLogHandler extends Handler {
    /** Lines queued at most; beyond, lines are dropped. About 4 MiB of 250-byte lines. */
    static final int CAPACITY = 16_384;
    /** While busy, the writer waits this long between writes to gather a batch. */
    static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int BATCH_BYTES = 64 * 1024;
    private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
    private static final LongAdder DROPPED = new LongAdder();

    private final ArrayBlockingQueue<String> queue;
    private final OutputStream out;
    private final ReentrantLock writing = new ReentrantLock();
    private final List<String> batch = new ArrayList<>();
    private final byte[] buffer = new byte[BATCH_BYTES];
    private final Thread writer;
    private volatile boolean idle;
    private volatile boolean closed;

    public AccessLogHandler() {
        this(System.out, CAPACITY);
    }

    AccessLogHandler(OutputStream out, int capacity) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("access-log-writer").unstarted(this::run);
        writer.start();
    }

    /** Access log lines dropped because the queue was full, by every handler of this JVM. */
    public static long dropped() {
        return DROPPED.sum();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            offer(record.getMessage());
        }
    }

    /** Queues one line without a {@link LogRecord}: what {@link AccessLog} calls on the request path. */
    void offer(String line) {
        if (closed) {
            return;
        }
        if (!queue.offer(line)) {
            DROPPED.increment();
            return;
        }
        if (idle) {
            idle = false;
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        while (!closed) {
            if (writeQueued()) {
                LockSupport.parkNanos(BATCH_WINDOW_NANOS);
            } else {
                idle = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.park();
                }
                idle = false;
            }
        }
    }

    /** Writes every queued line, many per write call, then flushes; false when there was none. */
    private boolean writeQueued() {
        writing.lock();
        try {
            if (queue.drainTo(batch) == 0) {
                return false;
            }
            int length = 0;
            do {
                for (String line : batch) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    if (length + bytes.length + NEWLINE.length > buffer.length) {
                        out.write(buffer, 0, length);
                        length = 0;
                    }
                    if (bytes.length + NEWLINE.length > buffer.length) {
                        out.write(bytes);
                        out.write(NEWLINE);
                        continue;
                    }
                    System.arraycopy(bytes, 0, buffer, length, bytes.length);
                    length += bytes.length;
                    System.arraycopy(NEWLINE, 0, buffer, length, NEWLINE.length);
                    length += NEWLINE.length;
                }
                batch.clear();
            } while (queue.drainTo(batch) > 0);
            out.write(buffer, 0, length);
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            batch.clear();
            reportError("cannot write the access log", e, ErrorManager.WRITE_FAILURE);
            return true;
        } finally {
            writing.unlock();
        }
    }

    /** Writes what is queued now, in the caller's thread. */
    @Override
    public void flush() {
        writeQueued();
    }

    /** Stops the writer and writes what is queued. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQueued();
    }
}
