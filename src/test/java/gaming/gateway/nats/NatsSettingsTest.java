package gaming.gateway.nats;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NatsSettingsTest {

    @Test
    void defaultsWithoutConfig() {
        NatsSettings settings = settings(Map.of());

        assertThat(settings.servers(), is(List.of("nats://localhost:4222")));
        assertThat(settings.requestTimeout(), is(Duration.ofSeconds(30)));
        assertThat(settings.pingInterval(), is(Duration.ofSeconds(3)));
        assertThat(settings.creds(), is(Optional.empty()));
        assertThat(settings.token(), is(Optional.empty()));
        assertThat(settings.tlsCa(), is(Optional.empty()));
    }

    @Test
    void commaSeparatedUrlsAreSplitAndTrimmed() {
        NatsSettings settings = settings(Map.of("url", " nats://a:4222 , nats://b:4222,,tls://c:4443 "));

        assertThat(settings.servers(), is(List.of("nats://a:4222", "nats://b:4222", "tls://c:4443")));
    }

    @Test
    void urlListWithoutServerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("url", " , ,")));
    }

    @Test
    void timeoutAndCredentialsAreRead() {
        NatsSettings settings = settings(Map.of("timeout-seconds", "12", "user", "gw", "password", "pw",
                                                "tls.ca", "/ca.pem", "token", " "));

        assertThat(settings.requestTimeout(), is(Duration.ofSeconds(12)));
        assertThat(settings.user(), is(Optional.of("gw")));
        assertThat(settings.password(), is(Optional.of("pw")));
        assertThat(settings.tlsCa(), is(Optional.of("/ca.pem")));
        assertThat("blank means unset", settings.token(), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void nonPositiveTimeoutIsRejected(String timeout) {
        var e = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("timeout-seconds", timeout)));
        assertThat(e.getMessage(), containsString("NATS_TIMEOUT_SECONDS"));
    }

    @Test
    void nonNumericTimeoutIsRejected() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> settings(Map.of("timeout-seconds", "soon")));
        assertThat(e.getMessage(), containsString("timeout-seconds"));
    }

    private static NatsSettings settings(Map<String, String> nats) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("gateway.other", "x"));
        nats.forEach((k, v) -> keys.put("gateway.nats." + k, v));
        return NatsSettings.create(Config.just(ConfigSources.create(keys)).get("gateway.nats"));
    }

    @Test
    void toStringPrintsNoSecret() {
        NatsSettings settings = settings(Map.of("url", "nats://alice:url-s3cret@a:4222, tls://b:4443",
                                                "token", "t0ken-s3cret", "user", "gateway", "password", "pa55-s3cret"));
        String text = settings.toString();
        assertThat(text, not(containsString("s3cret")));
        assertThat(text, containsString("servers=[nats://****@a:4222, tls://b:4443]"));
        assertThat(text, containsString("token=Optional[****]"));
        assertThat(text, containsString("password=Optional[****]"));
        assertThat(text, containsString("user=Optional[gateway]"));
        assertThat("the secrets themselves are kept", settings.password(), is(Optional.of("pa55-s3cret")));
        assertThat(settings(Map.of()).toString(), containsString("token=Optional.empty"));
    }
}
