package gaming.gateway.connection;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Notices when Helidon's accept loop ends for good. Helidon 4.5.0 treats any exception from
 * {@code accept()} as the end of the listener ("this server socket is terminating now", in
 * {@code ServerListener.listen}), for example {@code EMFILE} ("Too many open files"), which is
 * transient; the process then stays up, connected to NATS, refusing every connection. No later
 * 4.5.x changes this (4.5.3 has the same loop). This watch hears that log record, checks that its
 * own port really refuses connections, and calls {@code onDeath} (which builds a new server).
 */
public final class ListenerWatch extends Handler {
    /** Held here: a JUL logger without a strong reference can be collected, losing its handler. */
    private static final Logger SERVER_LISTENER = Logger.getLogger("io.helidon.webserver.ServerListener");

    private final java.util.function.IntSupplier port;
    private final Runnable onDeath;

    private ListenerWatch(java.util.function.IntSupplier port, Runnable onDeath) {
        this.port = port;
        this.onDeath = onDeath;
    }

    /** Watches the listener on {@code port} (read at each event; the port stays the same across rebuilds). */
    public static ListenerWatch install(java.util.function.IntSupplier port, Runnable onDeath) {
        ListenerWatch watch = new ListenerWatch(port, onDeath);
        SERVER_LISTENER.addHandler(watch);
        return watch;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()
                && record.getMessage() != null && record.getMessage().contains("terminating")) {
            Thread.ofVirtual().name("listener-watch").start(this::checkAndRecover);
        }
    }

    private void checkAndRecover() {
        // several gateways may share this JVM (tests): act only when this one's port refuses
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getAsInt()), 1000);
                return; // accepted: this gateway's listener is alive
            } catch (ConnectException refused) {
                onDeath.run();
                return;
            } catch (IOException e) {
                // e.g. no file descriptor for the probe itself: try again shortly
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        SERVER_LISTENER.removeHandler(this);
    }

    @Override
    public void flush() {
    }
}
