package gaming.gateway.observe;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * Writes access log lines to stdout as they are: the message alone, one line each, flushed per
 * line. Named in {@code logging.properties} as the handler of the {@code gateway.access} logger.
 */
public final class AccessLogHandler extends StreamHandler {
    public AccessLogHandler() {
        super(new PrintStream(System.out, false), new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + System.lineSeparator();
            }
        });
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
    }

    @Override
    public synchronized void close() {
        flush();
    }
}
