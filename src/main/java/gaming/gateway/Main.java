package gaming.gateway;

import gaming.gateway.config.ConfigLoader;

import io.helidon.logging.common.LogConfig;

/** Starts the gateway from {@code application.yaml} and the environment. */
public final class Main {
    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Gateway gateway = Gateway.start(ConfigLoader.load());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(gateway::close));
        LOGGER.log(System.Logger.Level.INFO, "http-nats-gateway listening on port " + gateway.port());
    }
}
