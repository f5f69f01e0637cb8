package gaming.testing;

import gaming.gateway.observe.AccessLog;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the lines of the gateway's access logger ({@code gateway.access}) while open. */
public final class AccessLogCapture extends Handler implements AutoCloseable {
    /** The lines so far, in order. */
    public final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(AccessLog.LOGGER_NAME);

    /** Starts capturing. */
    public AccessLogCapture() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }

    /** The lines as JSON, once there are at least {@code count} (waits up to 20 s). */
    public List<JsonObject> await(int count) {
        Awaits.until(() -> lines.size() >= count, Duration.ofSeconds(20), count + " access log lines");
        return lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
