package gaming.gateway.observe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The access log's writer: lines in order, written by its own thread, dropped and counted when the queue is full. */
class AccessLogHandlerTest {
    private static final String NL = System.lineSeparator();

    @Test
    void writesLinesInOrderAndFlushesOnClose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogHandler handler = new AccessLogHandler(out, 100);
        for (int i = 0; i < 50; i++) {
            handler.publish(new LogRecord(Level.INFO, "{\"n\":" + i + "}"));
        }
        handler.close();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            expected.append("{\"n\":").append(i).append('}').append(NL);
        }
        assertThat(out.toString(StandardCharsets.UTF_8), is(expected.toString()));
    }

    @Test
    void dropsAndCountsInsteadOfBlockingWhenStdoutStalls() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        AccessLogHandler handler = new AccessLogHandler(stalled, 4);
        long droppedBefore = AccessLogHandler.dropped();
        handler.publish(new LogRecord(Level.INFO, "first"));
        assertThat(writing.await(5, TimeUnit.SECONDS), is(true));   // the writer is stuck in write()
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            handler.publish(new LogRecord(Level.INFO, "line " + i));
        }
        assertThat(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), is(true));
        assertThat(AccessLogHandler.dropped() - droppedBefore, is(6L));   // 4 queued, 6 dropped
        release.countDown();
        handler.close();
        assertThat(written.toString(StandardCharsets.UTF_8),
                   is("first" + NL + "line 0" + NL + "line 1" + NL + "line 2" + NL + "line 3" + NL));
    }
}
