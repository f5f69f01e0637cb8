package gaming.gateway;

import gaming.gateway.config.ConfigLoader;

import io.helidon.logging.common.LogConfig;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogManager;

/**
 * Starts the gateway from {@code application.yaml} and the environment. SIGTERM (ECS, Kubernetes)
 * and SIGINT (Ctrl-C) both run the graceful {@link Gateway#shutdown()} and exit 0. A start-up
 * failure (a configuration error, a port in use) prints one line naming the cause on stderr and
 * exits 1; its stack trace is logged at debug level ({@code gaming.gateway.Main.level=FINE}).
 */
public final class Main {
    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());
    /** Exit code of a gateway that could not start. */
    static final int CANNOT_START = 1;

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AtomicReference<Gateway> running = new AtomicReference<>();
        // sun.misc.Signal is the JDK's supported way (jdk.unsupported) to handle a signal instead of
        // the default, which runs shutdown hooks and exits with 143 (130 for SIGINT); installed
        // before the server starts, so that a signal right after the first health check is handled too
        // The JDK runs a signal handler on a daemon thread: once the web server has stopped, no
        // thread would keep the JVM up, and it would exit 0 in the middle of draining NATS without
        // the last log line. The shutdown runs on a thread that keeps it up until System.exit.
        AtomicBoolean signalled = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signalled.compareAndSet(false, true)) {
                    Thread.ofPlatform().name("shutdown").daemon(false)
                            .start(() -> shutDownAndExit("SIG" + signal.getName(), running.get()));
                }
            });
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(ConfigLoader.load());
        } catch (RuntimeException e) {
            System.err.println("http-nats-gateway cannot start: " + StartupFailure.describe(e));
            LOGGER.log(System.Logger.Level.DEBUG, "start-up failure", e);
            flushLogs();
            System.exit(CANNOT_START);
            return;
        }
        running.set(gateway);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(gateway::close));
        LOGGER.log(System.Logger.Level.INFO, "http-nats-gateway listening on port " + gateway.port());
    }

    /**
     * The one shutdown path of both signals. Whatever the shutdown throws, the last line is logged,
     * every log handler flushed, and the process exits, so that the log always ends with it.
     */
    private static void shutDownAndExit(String signal, Gateway gateway) {
        LOGGER.log(System.Logger.Level.INFO, signal + ": shutting down gracefully");
        String outcome = "shutdown complete";
        try {
            if (gateway != null) {
                gateway.shutdown();
            }
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "shutdown: " + e);
            outcome = "shutdown complete, with the error above";
        } finally {
            LOGGER.log(System.Logger.Level.INFO, outcome);
            flushLogs();
            System.exit(0);
        }
    }

    private static void flushLogs() {
        for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
            handler.flush();
        }
        System.out.flush();
        System.err.flush();
    }
}
