package gaming.gateway.config;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void withoutEnvironmentTheYamlValuesApply() {
        Config config = ConfigLoader.load(Map.of());

        assertThat(config.get("server.port").asInt().get(), is(8000));
        assertThat(config.get("gateway.nats.url").asString().get(), is("nats://localhost:4222"));
        assertThat(config.get("gateway.nats.timeout-seconds").asInt().get(), is(30));
        assertThat(config.get("gateway.routes").asNodeList().get().size(), is(9));
    }

    @Test
    void environmentOverridesTheYaml() {
        Config config = ConfigLoader.load(Map.of("PORT", "9123", "NATS_URL", "nats://n1:4222,nats://n2:4222",
                                                 "NATS_TIMEOUT_SECONDS", "7"));

        assertThat(config.get("server.port").asInt().get(), is(9123));
        assertThat(config.get("gateway.nats.url").asString().get(), is("nats://n1:4222,nats://n2:4222"));
        assertThat(config.get("gateway.nats.timeout-seconds").asInt().get(), is(7));
        assertThat("untouched keys keep their yaml value", config.get("server.host").asString().get(), is("0.0.0.0"));
    }

    @Test
    void gatewayConfigFileIsUsedAndEnvironmentStillWins() throws Exception {
        Path file = dir.resolve("custom.yaml");
        Files.writeString(file, """
                server:
                  port: 7001
                  host: 127.0.0.1
                gateway:
                  nats:
                    url: nats://from-file:4222
                """);

        Config config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "HOST", "10.0.0.1"));

        assertThat(config.get("server.port").asInt().get(), is(7001));
        assertThat(config.get("gateway.nats.url").asString().get(), is("nats://from-file:4222"));
        assertThat(config.get("server.host").asString().get(), is("10.0.0.1"));
    }

    @Test
    void routeTableOfTheGatewayConfigFileReplacesThePackagedOne() throws Exception {
        Path file = dir.resolve("one-route.yaml");
        Files.writeString(file, """
                gateway:
                  routes:
                    - name: only
                      path: /only
                      subject: svc.only
                      request: ai.llm.v1.CancelRequest
                      reply: ai.llm.v1.CancelResponse
                """);

        Config config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));

        assertThat(config.get("gateway.routes.0.name").asString().get(), is("only"));
        assertThat("a file with one route serves one route, not a mix with the packaged table",
                   config.get("gateway.routes").asNodeList().get().size(), is(1));
    }

    @Test
    void missingGatewayConfigFileFails() {
        Path missing = dir.resolve("nope.yaml");

        var e = assertThrows(IllegalArgumentException.class,
                             () -> ConfigLoader.load(Map.of("GATEWAY_CONFIG", missing.toString())));
        assertThat(e.getMessage(), containsString("nope.yaml"));
    }
}
