package gaming.testing;

import gaming.gateway.Gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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

    /** A gateway with the route table of {@code yaml}. */
    public static Gateway start(String natsUrl, Map<String, String> overrides, Path yaml) {
        return Gateway.start(config(natsUrl, overrides, yaml));
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
