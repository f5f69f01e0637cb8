package gaming.gateway.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the gateway's configuration. Highest priority first: system properties (e.g.
 * {@code -Dgateway.nats.url=...}), the environment variables of {@link EnvOverrides}, the file
 * named by {@code GATEWAY_CONFIG} or else {@code ./application.yaml} if present, and the
 * {@code application.yaml} packaged in the jar.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** The configuration from the process's environment and files. */
    public static Config load() {
        return load(System.getenv());
    }

    /** The configuration with {@code environment} in place of the process's environment. */
    public static Config load(Map<String, String> environment) {
        Path file = Path.of(environment.getOrDefault(EnvOverrides.GATEWAY_CONFIG, "application.yaml"));
        if (environment.containsKey(EnvOverrides.GATEWAY_CONFIG) && !Files.isReadable(file)) {
            throw new IllegalArgumentException("GATEWAY_CONFIG names " + file + ", which cannot be read");
        }
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.create(EnvOverrides.apply(environment)))
                .addSource(ConfigSources.file(file).optional())
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
