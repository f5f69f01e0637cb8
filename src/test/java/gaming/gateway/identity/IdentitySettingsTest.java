package gaming.gateway.identity;

import gaming.gateway.config.ConfigLoader;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentitySettingsTest {
    private static final Map<String, String> JWT_BASE = Map.of(
            "mode", "jwt",
            "jwt.jwks-url", "https://idp.example.com/jwks.json",
            "jwt.issuer", "https://idp.example.com/",
            "jwt.audience", "gw");

    private static IdentitySettings settings(Map<String, String> keys) {
        return IdentitySettings.create(Config.just(ConfigSources.create(keys)));
    }

    private static IdentitySettings jwt(String... pairs) {
        Map<String, String> keys = new HashMap<>(JWT_BASE);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                keys.remove(pairs[i]);
            } else {
                keys.put(pairs[i], pairs[i + 1]);
            }
        }
        return settings(keys);
    }

    @Test
    void defaultIsTrustHeaders() {
        assertThat(settings(Map.of()).mode(), is(IdentityMode.TRUST_HEADERS));
        assertThat(settings(Map.of()).jwt(), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"trust-headers", "strip", "jwt", " STRIP ", "Trust-Headers"})
    void modeNamesParse(String name) {
        assertThat(IdentityMode.parse(name).configName(), is(name.trim().toLowerCase()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "trust_headers", "none", "jwks", "oauth"})
    void unknownModeNamesTheValidOnes(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdentityMode.parse(name));
        assertThat(e.getMessage(), allOf(containsString("IDENTITY_MODE"), containsString("trust-headers, strip, jwt"),
                                         containsString("'" + name + "'")));
    }

    @Test
    void jwtSettingsWithDefaults() {
        JwtSettings jwt = jwt().jwt().orElseThrow();
        assertThat(jwt.jwksUrl().orElseThrow().toString(), is("https://idp.example.com/jwks.json"));
        assertThat(jwt.publicKeyFile(), is(Optional.empty()));
        assertThat(jwt.issuer(), is("https://idp.example.com/"));
        assertThat(jwt.audiences(), is(Set.of("gw")));
        assertThat(jwt.userClaim(), is("sub"));
        assertThat(jwt.tenantClaim(), is("tenant_id"));
        assertThat(jwt.clockSkew(), is(Duration.ofSeconds(60)));
        assertThat(jwt.jwksTimeout(), is(Duration.ofSeconds(2)));
        assertThat(jwt.jwksCacheTtl(), is(Duration.ofMinutes(5)));
    }

    @Test
    void jwtSettingsOverridden() {
        JwtSettings jwt = jwt("jwt.jwks-url", null, "jwt.public-key-file", "/keys/k.pem",
                              "jwt.audience", "a, b,,c", "jwt.user-claim", "uid", "jwt.tenant-claim", "org",
                              "jwt.clock-skew-seconds", "0").jwt().orElseThrow();
        assertThat(jwt.publicKeyFile(), is(Optional.of(Path.of("/keys/k.pem"))));
        assertThat(jwt.audiences(), is(Set.of("a", "b", "c")));
        assertThat(jwt.userClaim(), is("uid"));
        assertThat(jwt.tenantClaim(), is("org"));
        assertThat(jwt.clockSkew(), is(Duration.ZERO));
    }

    @Test
    void jwtNeedsExactlyOneKeySource() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> jwt("jwt.jwks-url", null)).getMessage(),
                   allOf(containsString("JWT_JWKS_URL"), containsString("JWT_PUBLIC_KEY_FILE")));
        assertThrows(IllegalArgumentException.class, () -> jwt("jwt.public-key-file", "/k.pem"));
    }

    @Test
    void jwtNeedsIssuerAndAudience() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> jwt("jwt.issuer", null)).getMessage(),
                   containsString("JWT_ISSUER"));
        assertThat(assertThrows(IllegalArgumentException.class, () -> jwt("jwt.audience", null)).getMessage(),
                   containsString("JWT_AUDIENCE"));
        assertThrows(IllegalArgumentException.class, () -> jwt("jwt.audience", " , "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "301", "86400"})
    void clockSkewIsBounded(String skew) {
        assertThat(assertThrows(IllegalArgumentException.class, () -> jwt("jwt.clock-skew-seconds", skew)).getMessage(),
                   containsString("JWT_CLOCK_SKEW_SECONDS"));
    }

    @Test
    void jwksTimeoutAndCacheAreBounded() {
        for (String[] bad : new String[][] {{"jwt.jwks-timeout-ms", "99"}, {"jwt.jwks-timeout-ms", "10001"},
                {"jwt.jwks-cache-seconds", "59"}, {"jwt.jwks-cache-seconds", "86401"}}) {
            assertThrows(IllegalArgumentException.class, () -> jwt(bad[0], bad[1]), bad[0] + "=" + bad[1]);
        }
        JwtSettings edge = jwt("jwt.jwks-timeout-ms", "100", "jwt.jwks-cache-seconds", "60").jwt().orElseThrow();
        assertThat(edge.jwksTimeout(), is(Duration.ofMillis(100)));
        assertThat(edge.jwksCacheTtl(), is(Duration.ofSeconds(60)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com/jwks", "ftp://idp.example.com/jwks", "file:///etc/jwks.json",
            "not a url", "https:///jwks"})
    void jwksUrlMustBeHttps(String url) {
        assertThrows(IllegalArgumentException.class, () -> jwt("jwt.jwks-url", url));
    }

    @Test
    void plainHttpOnlyForLoopbackOrWhenAllowed() {
        assertThat(jwt("jwt.jwks-url", "http://127.0.0.1:8080/jwks").jwt().orElseThrow().jwksUrl().isPresent(), is(true));
        assertThat(jwt("jwt.jwks-url", "http://localhost/jwks").jwt().orElseThrow().jwksUrl().isPresent(), is(true));
        assertThat(jwt("jwt.jwks-url", "http://keycloak.auth:8080/jwks", "jwt.jwks-allow-http", "true")
                           .jwt().orElseThrow().jwksUrl().isPresent(), is(true));
    }

    @Test
    void jwtKeysAreIgnoredInOtherModes() {
        Map<String, String> keys = new HashMap<>(JWT_BASE);
        keys.put("mode", "strip");
        keys.remove("jwt.issuer");
        assertThat(settings(keys).mode(), is(IdentityMode.STRIP));
    }

    @Test
    void environmentVariablesReachTheSettings() {
        Config config = ConfigLoader.load(Map.of(
                "GATEWAY_CONFIG", "application.yaml",
                "IDENTITY_MODE", "jwt",
                "JWT_PUBLIC_KEY_FILE", "/keys/jwt.pem",
                "JWT_ISSUER", "iss",
                "JWT_AUDIENCE", "aud",
                "JWT_USER_CLAIM", "uid",
                "JWT_TENANT_CLAIM", "org",
                "JWT_CLOCK_SKEW_SECONDS", "30"));
        IdentitySettings settings = IdentitySettings.create(config.get("gateway.identity"));
        assertThat(settings.mode(), is(IdentityMode.JWT));
        JwtSettings jwt = settings.jwt().orElseThrow();
        assertThat(jwt.publicKeyFile(), is(Optional.of(Path.of("/keys/jwt.pem"))));
        assertThat(jwt.issuer(), is("iss"));
        assertThat(jwt.audiences(), is(Set.of("aud")));
        assertThat(jwt.userClaim(), is("uid"));
        assertThat(jwt.tenantClaim(), is("org"));
        assertThat(jwt.clockSkew(), is(Duration.ofSeconds(30)));
    }

    @Test
    void shippedConfigsTrustHeadersAndAgree() {
        for (String file : new String[] {"application.yaml", "k8s/application.yaml"}) {
            Config config = Config.just(ConfigSources.file(Path.of(file)));
            assertThat(file, config.get("gateway.identity.mode").asString().orElse("missing"), is("trust-headers"));
            assertThat(file, IdentitySettings.create(config.get("gateway.identity")).mode(),
                       is(IdentityMode.TRUST_HEADERS));
        }
    }

    @Test
    void toStringPrintsNoCredentialOfTheJwksUrl() {
        IdentitySettings settings = jwt("jwt.jwks-url", "https://svc:pa55-s3cret@idp.example.com/jwks.json?key=q-s3cret");
        String text = settings.toString();
        assertThat(text, not(containsString("s3cret")));
        assertThat(text, containsString("jwksUrl=Optional[https://****@idp.example.com/jwks.json?****]"));
        assertThat("the URL itself is kept", settings.jwt().orElseThrow().jwksUrl().orElseThrow().getUserInfo(),
                   is("svc:pa55-s3cret"));
    }
}
