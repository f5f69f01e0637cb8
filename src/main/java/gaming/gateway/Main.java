package gaming.gateway;

import gaming.gateway.config.ConfigLoader;

import io.helidon.logging.common.LogConfig;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the gateway from {@code application.yaml} and the environment. SIGTERM (ECS, Kubernetes)
 * runs the graceful {@link Gateway#shutdown()} and exits 0; SIGINT closes at once.
 */
public final class Main {
    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AtomicReference<Gateway> running = new AtomicReference<>();
        // sun.misc.Signal is the JDK's supported way (jdk.unsupported) to handle a signal instead of
        // the default, which runs shutdown hooks and exits with 143; installed before the server
        // starts, so that a SIGTERM right after the first health check is handled too
        Signal.handle(new Signal("TERM"), signal -> {
            LOGGER.log(System.Logger.Level.INFO, "SIGTERM: shutting down gracefully");
            Gateway gateway = running.get();
            if (gateway != null) {
                gateway.shutdown();
            }
            LOGGER.log(System.Logger.Level.INFO, "shutdown complete");
            System.exit(0);
        });
        Gateway gateway = Gateway.start(ConfigLoader.load());
        running.set(gateway);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(gateway::close));
        LOGGER.log(System.Logger.Level.INFO, "http-nats-gateway listening on port " + gateway.port());
    }
}
