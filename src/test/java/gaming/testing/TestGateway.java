package gaming.testing;

import gaming.gateway.Gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a {@link Gateway} on a free loopback port for tests, with the repo's route table or another file. */
public final class TestGateway {
    private TestGateway() {
    }

    /** The gateway with the repo's {@code application.yaml}, pointed at {@code natsUrl}. */
    public static Gateway start(String natsUrl) {
        return start(natsUrl, Map.of());
    }

    /** The same, with config keys overridden by {@code overrides}. */
    public static Gateway start(String natsUrl, Map<String, String> overrides) {
        return start(natsUrl, overrides, Path.of("application.yaml"));
    }

    /**
     * A gateway with the route table of {@code yaml}. When a server of {@code natsUrl} accepts
     * connections, returns once the gateway is connected to NATS (it connects in the background)
     * and has opened its idempotency bucket (if a route enforces), so that a test's first request
     * does not race the connection and no start-up message to NATS comes after it; fails the test
     * when it does not connect within 10 s.
     */
    public static Gateway start(String natsUrl, Map<String, String> overrides, Path yaml) {
        Gateway gateway = Gateway.start(config(natsUrl, overrides, yaml));
        if (anyReachable(natsUrl)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(gateway.natsConnected() && gateway.idempotencyStoreOpen()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!gateway.natsConnected()) {
                gateway.close();
                throw new AssertionError("the gateway did not connect to " + natsUrl + " within 10 s");
            }
        }
        return gateway;
    }

    private static boolean anyReachable(String natsUrl) {
        for (String url : natsUrl.split(",")) {
            URI uri = URI.create(url.trim());
            try (Socket ignored = new Socket(uri.getHost(), uri.getPort())) {
                return true;
            } catch (IOException | IllegalArgumentException notThere) {
                // try the next one
            }
        }
        return false;
    }

    /** The configuration such a gateway is started with. */
    public static Config config(String natsUrl, Map<String, String> overrides, Path yaml) {
        Map<String, String> keys = new HashMap<>();
        keys.put("server.port", "0");
        keys.put("server.host", "127.0.0.1");
        keys.put("gateway.nats.url", natsUrl);
        keys.putAll(overrides);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys))
                .addSource(ConfigSources.file(yaml))
                .build();
    }
}
