package gaming.gateway.idempotency;

import gaming.gateway.route.IdempotencyMode;
import gaming.gateway.route.IdempotencyPolicy;
import state.manager.v1.UpdateStateRequest;

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

    @Test
    void anEnforceRouteWhoseLockOutlivesTheMaxAgeFailsStartUp() {
        IdempotencySettings settings = new IdempotencySettings("b", Duration.ofSeconds(30), 1, Duration.ofSeconds(5),
                                                               Duration.ofSeconds(2));
        IdempotencyStore store = IdempotencyStore.create(null, settings);
        IdempotencyPolicy enforce = new IdempotencyPolicy(IdempotencyMode.ENFORCE, false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdempotencyGuard.enforce(
                enforce, "state-update", Duration.ofSeconds(25), UpdateStateRequest.getDefaultInstance(), store, null));
        assertThat(e.getMessage(), containsString("route state-update"));
        assertThat(IdempotencyGuard.enforce(enforce, "state-update", Duration.ofSeconds(24),
                                            UpdateStateRequest.getDefaultInstance(), store, null).forwardsKey(), is(true));
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
