package gaming.gateway.ratelimit;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The routes' rate-limit blocks: defaults, and what fails start-up naming the route. */
class RateLimitSettingsTest {
    @Test
    void blocksByRouteNameWithDefaults() {
        Map<String, RateLimitSettings> limits = RateLimitSettings.ofRoutes(gateway("""
                  routes:
                    - name: a
                      path: /a
                      rate-limit: {requests: 10}
                    - path: /b
                      rate-limit: {requests: 5, window-seconds: 1, key: tenant}
                    - name: c
                      path: /c
                """));

        assertThat(limits, is(Map.of(
                "a", new RateLimitSettings(10, Duration.ofSeconds(60), RateLimitSettings.Key.REMOTE_ADDRESS, 100_000),
                "/b", new RateLimitSettings(5, Duration.ofSeconds(1), RateLimitSettings.Key.TENANT, 100_000))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{requests: 0} | route a: rate-limit.requests must be >= 1",
            "{requests: 1, window-seconds: 0} | route a: rate-limit.window-seconds must be 1..86400, not 0",
            "{requests: 1, key: ip} | route a: rate-limit.key must be user, tenant, client-id or remote-address, not ip"})
    void badBlocksFailNamingTheRoute(String block, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimitSettings.ofRoutes(
                gateway("  routes:\n    - name: a\n      path: /a\n      rate-limit: " + block + "\n")));

        assertThat(e.getMessage(), is(message));
    }

    private static Config gateway(String routes) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create("gateway:\n" + routes, MediaTypes.APPLICATION_X_YAML))
                .build().get("gateway");
    }
}
