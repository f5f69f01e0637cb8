package gaming.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records of a java.util.logging logger and its children while open, as
 * {@code LEVEL message} lines, for tests that check what the gateway logs. Open it in
 * try-with-resources before the event.
 */
public final class LogLines extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private LogLines(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    /** Captures what {@code loggerName} (e.g. a package) and the loggers below it log. */
    public static LogLines of(String loggerName) {
        return new LogLines(loggerName);
    }

    /** The lines containing {@code text}. */
    public List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    /** Waits until at least one line contains {@code text}; fails after 20 s. */
    public void await(String text) {
        Awaits.until(() -> !containing(text).isEmpty(), Duration.ofSeconds(20), "a log line with '" + text + "' in " + lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
