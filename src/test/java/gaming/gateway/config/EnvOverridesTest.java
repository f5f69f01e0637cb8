package gaming.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

class EnvOverridesTest {

    @Test
    void variablesMapToTheirConfigKeys() {
        Map<String, String> keys = EnvOverrides.apply(Map.of(
                "PORT", "9000",
                "HOST", "127.0.0.1",
                "NATS_URL", "nats://a:4222",
                "NATS_TIMEOUT_SECONDS", "12",
                "MAX_BODY_BYTES", "2048"));

        assertThat(keys, is(Map.of(
                "server.port", "9000",
                "server.host", "127.0.0.1",
                "gateway.nats.url", "nats://a:4222",
                "gateway.nats.timeout-seconds", "12",
                "gateway.max-body-bytes", "2048")));
    }

    @Test
    void credentialAndTlsVariablesMapUnderGatewayNats() {
        Map<String, String> keys = EnvOverrides.apply(Map.of(
                "NATS_CREDS", "/c", "NATS_NKEY_SEED", "/n", "NATS_TOKEN", "t", "NATS_USER", "u",
                "NATS_PASSWORD", "p", "NATS_TLS_CA", "/ca", "NATS_TLS_CERT", "/cert", "NATS_TLS_KEY", "/key"));

        assertThat(keys, is(Map.of(
                "gateway.nats.creds", "/c", "gateway.nats.nkey-seed", "/n", "gateway.nats.token", "t",
                "gateway.nats.user", "u", "gateway.nats.password", "p", "gateway.nats.tls.ca", "/ca",
                "gateway.nats.tls.cert", "/cert", "gateway.nats.tls.key", "/key")));
    }

    @Test
    void valuesAreTrimmedAndBlankOrUnrelatedVariablesIgnored() {
        Map<String, String> keys = EnvOverrides.apply(Map.of("PORT", " 8080 ", "HOST", "  ", "PATH", "/usr/bin",
                                                             "NATS_TOKEN", ""));

        assertThat(keys, is(Map.of("server.port", "8080")));
    }

    @Test
    void namesHoldEveryVariableIncludingGatewayConfig() {
        assertThat(EnvOverrides.NAMES, hasItems("GATEWAY_CONFIG", "PORT", "HOST", "NATS_URL", "NATS_TIMEOUT_SECONDS",
                                                "NATS_CREDS", "NATS_NKEY_SEED", "NATS_TOKEN", "NATS_USER",
                                                "NATS_PASSWORD", "NATS_TLS_CA", "NATS_TLS_CERT", "NATS_TLS_KEY",
                                                "MAX_BODY_BYTES"));
        assertThat(EnvOverrides.NAMES.containsAll(EnvOverrides.KEYS.keySet()), is(true));
        assertThat(EnvOverrides.NAMES.size(), is(EnvOverrides.KEYS.size() + 1));
    }
}
