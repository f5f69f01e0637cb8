package gaming.gateway.connection;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A client that closes its connection in the middle of a request head is routine (scanners,
 * slowloris, impatient clients). Helidon 4.5.0 treats the early end of input as an internal error
 * and logs a WARNING with a full stack trace for each (200 such closes gave 3,450 log lines); this
 * filter drops those records ({@link ConnectionGuard} counts the cut heads) and writes one DEBUG
 * line instead.
 */
final class ClientGoneLogFilter implements Filter {
    /** Held here: a JUL logger without a strong reference can be collected, losing its filter. */
    private static final Logger HTTP1 = Logger.getLogger("io.helidon.webserver.http1.Http1Connection");
    private static final System.Logger LOGGER = System.getLogger(ClientGoneLogFilter.class.getName());

    private final Filter previous;

    private ClientGoneLogFilter(Filter previous) {
        this.previous = previous;
    }

    /** Installs the filter once per process. */
    static synchronized void install() {
        if (!(HTTP1.getFilter() instanceof ClientGoneLogFilter)) {
            HTTP1.setFilter(new ClientGoneLogFilter(HTTP1.getFilter()));
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getThrown() instanceof RequestException e
                && e.getCause() instanceof DataReader.InsufficientDataAvailableException) {
            LOGGER.log(System.Logger.Level.DEBUG, "client closed its connection in the middle of a request head");
            return false;
        }
        return previous == null || previous.isLoggable(record);
    }
}
