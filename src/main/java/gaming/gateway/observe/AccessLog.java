package gaming.gateway.observe;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One JSON line per request on the {@code gateway.access} java.util.logging logger: route,
 * status, durations, ids, sizes and the error code. Never a body, a header value other than the
 * trace id, or a credential. Built with one {@link StringBuilder}; nothing is formatted when the
 * log is off ({@code gateway.access-log.enabled=false}, {@code ACCESS_LOG=false}) or the logger's
 * level is above INFO.
 */
public final class AccessLog {
    /** The logger's name; {@code logging.properties} sends it to stdout without a prefix. */
    public static final String LOGGER_NAME = "gateway.access";

    private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);
    private static final AccessLog DISABLED = new AccessLog(false, null);

    private final boolean enabled;
    private final AccessLogHandler direct;

    private AccessLog(boolean enabled, AccessLogHandler direct) {
        this.enabled = enabled;
        this.direct = direct;
    }

    /**
     * An access log that writes when {@code enabled}. Where {@code logging.properties} gives the
     * logger its {@link AccessLogHandler} (as in the packaged application), lines go straight to
     * that handler's queue, without a {@link java.util.logging.LogRecord} per request; elsewhere
     * through the logger.
     */
    public static AccessLog create(boolean enabled) {
        if (!enabled) {
            return DISABLED;
        }
        AccessLogHandler direct = null;
        for (java.util.logging.Handler handler : LOGGER.getHandlers()) {
            if (handler instanceof AccessLogHandler h && LOGGER.getFilter() == null && !LOGGER.getUseParentHandlers()) {
                direct = h;
            }
        }
        return new AccessLog(true, direct);
    }

    boolean enabled() {
        return enabled && LOGGER.isLoggable(Level.INFO);
    }

    void log(String route, Exchange x, long durationNanos, long bytesOut) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"ts\":").append(System.currentTimeMillis());
        string(line, "route", route);
        line.append(",\"status\":").append(x.status());
        line.append(",\"duration_ms\":");
        millis(line, durationNanos);
        line.append(",\"nats_ms\":");
        if (x.natsNanos() >= 0) {
            millis(line, x.natsNanos());
        } else {
            line.append("null");
        }
        string(line, "trace_id", x.traceIdValue());
        string(line, "request_id", x.requestId());
        line.append(",\"bytes_in\":").append(x.bytesIn());
        line.append(",\"bytes_out\":").append(Math.max(0, bytesOut));
        if (x.errorCode() != null) {
            string(line, "error", x.errorCode());
        } else {
            line.append(",\"error\":null");
        }
        if (x.streamEnd() != null) {
            string(line, "stream_end", x.streamEnd().name().toLowerCase(java.util.Locale.ROOT));
            line.append(",\"chunks\":").append(x.chunks());
        }
        line.append('}');
        if (direct != null) {
            direct.offer(line.toString());
        } else {
            LOGGER.log(Level.INFO, line.toString());
        }
    }

    /** Milliseconds with three decimals, without String.format. */
    static void millis(StringBuilder out, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        out.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            out.append('0');
        }
        if (frac < 10) {
            out.append('0');
        }
        out.append(frac);
    }

    private static void string(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
