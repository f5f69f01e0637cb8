package gaming.gateway.idempotency;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code gateway.idempotency}: defaults, the repo's application.yaml, and what fails start-up. */
class IdempotencySettingsTest {
    @Test
    void defaultsAreA24HourBucketWithOneReplica() {
        IdempotencySettings settings = IdempotencySettings.create(Config.empty().get("gateway.idempotency"));
        assertThat(settings, is(new IdempotencySettings("gateway_idempotency", Duration.ofHours(24), 1,
                                                        Duration.ofSeconds(5), Duration.ofSeconds(2))));
    }

    @Test
    void applicationYamlStatesTheDefaults() {
        Config config = Config.just(ConfigSources.file(Path.of("application.yaml")));
        assertThat(IdempotencySettings.create(config.get("gateway.idempotency")),
                   is(IdempotencySettings.create(Config.empty().get("gateway.idempotency"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bucket          | has.dot | bucket",
            "max-age-seconds | 0       | max-age",
            "replicas        | 0       | replicas",
            "replicas        | 6       | replicas",
            "store-timeout-millis | 0  | store-timeout",
    })
    void invalidValuesFail(String key, String value, String mentions) {
        Config node = Config.just(ConfigSources.create(Map.of("gateway.idempotency." + key, value))).get("gateway.idempotency");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdempotencySettings.create(node));
        assertThat(e.getMessage(), containsString(mentions));
    }
}
