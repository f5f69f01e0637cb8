package gaming.gateway.cors;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.common.media.type.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CORS settings from YAML snippets and environment-style overrides: defaults, inheritance, what fails start-up. */
class CorsSettingsTest {
    private static final String ROUTES = """
            gateway:
              routes:
                - path: /a
                - path: /b/{id}
                  cors:
                    allow-origins: [https://b.example]
                    max-age-seconds: 60
            """;

    @Test
    void offByDefault() {
        CorsSettings settings = CorsSettings.create(gateway("gateway:\n  routes:\n    - path: /a\n", Map.of()));

        assertThat(settings.enabled(), is(false));
        assertThat(settings.feature().isPresent(), is(false));
        assertThat(settings.gateway(), is(new CorsPolicy(List.of(), CorsPolicy.DEFAULT_METHODS,
                CorsPolicy.DEFAULT_ALLOW_HEADERS, CorsPolicy.DEFAULT_EXPOSE_HEADERS, false, Duration.ofMinutes(10))));
    }

    @Test
    void commaSeparatedOriginsFromTheEnvironmentAndRoutePoliciesInheritTheRest() {
        CorsSettings settings = CorsSettings.create(gateway(ROUTES, Map.of(
                "gateway.cors.allow-origins", " http://a.example ,https://*.games.example,",
                "gateway.cors.expose-headers", "X-Trace-ID")));

        assertThat(settings.enabled(), is(true));
        assertThat(settings.gateway().allowOrigins(), is(List.of("http://a.example", "https://*.games.example")));
        assertThat(settings.routes().keySet(), is(java.util.Set.of("/b/{id}")));
        CorsPolicy b = settings.routes().get("/b/{id}");
        assertThat(b.allowOrigins(), is(List.of("https://b.example")));
        assertThat(b.exposeHeaders(), is(List.of("X-Trace-ID")));
        assertThat(b.maxAge(), is(Duration.ofSeconds(60)));
        assertThat(settings.feature().isPresent(), is(true));
    }

    @Test
    void aRoutePolicyAloneTurnsCorsOn() {
        CorsSettings settings = CorsSettings.create(gateway(ROUTES, Map.of()));

        assertThat(settings.gateway().enabled(), is(false));
        assertThat(settings.enabled(), is(true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gateway.cors.allow-origins | app.example.com | 'app.example.com' is not an origin",
            "gateway.cors.allow-origins | https://a.example/path | 'https://a.example/path' is not an origin",
            "gateway.cors.allow-origins | ftp://a.example | 'ftp://a.example' is not an origin",
            "gateway.cors.max-age-seconds | 86401 | max-age-seconds must be 0..86400, not 86401",
            "gateway.cors.max-age-seconds | -1 | max-age-seconds must be 0..86400, not -1"})
    void badValuesFailStartUpNamingTheKey(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CorsSettings.create(gateway(ROUTES, Map.of(key, value))));

        assertThat(e.getMessage().contains(message), is(true));
    }

    @Test
    void credentialsWithAnyOriginFailStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorsSettings.create(gateway(ROUTES,
                Map.of("gateway.cors.allow-origins", "*", "gateway.cors.allow-credentials", "true"))));

        assertThat(e.getMessage(), is("gateway.cors: allow-credentials needs explicit origins, not *"));
    }

    private static Config gateway(String yaml, Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                .addSource(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))
                .build()
                .get("gateway");
    }
}
