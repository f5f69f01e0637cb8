package gaming.services;

import com.google.gson.JsonObject;
import gaming.gateway.Gateway;
import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.MigrationFixture;
import gaming.testing.NatsServer;
import gaming.testing.TestGateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The migration demo's set-up: the reference services on NATS, {@link LegacyDemo} as the legacy
 * service, models-list and models-get in shadow mode. The list's timestamp shows as noise, the
 * single model's name suffix as the one mismatch.
 */
class LegacyDemoIT {
    @Test
    void theDemoShowsNoiseOnTheListAndOneMismatchOnASingleModel() throws Exception {
        List<String> names = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.file("application.yaml")).build()
                .get("gateway.routes").asNodeList().orElseThrow().stream().map(r -> r.get("name").asString().get()).toList();
        try (NatsServer nats = NatsServer.start();
             Connection conn = Nats.connect(nats.url());
             ReferenceServices services = ReferenceServices.start(conn);
             LegacyDemo legacy = LegacyDemo.start(0)) {
            Map<String, String> keys = new HashMap<>(LegacyDemo.gatewayKeys(names, legacy.url()));
            keys.put("gateway.admin.token", MigrationFixture.TOKEN);
            keys.put("gateway.admin.port", "0");
            try (Gateway gateway = TestGateway.start(nats.url(), keys)) {
                Http http = new Http(gateway.port());
                HttpResponse<String> list = http.post("/ai/models", "{}");
                assertThat(list.statusCode(), is(200));
                assertThat(list.body().contains("\"served_at\":"), is(true));
                Awaits.until(() -> count(gateway, "models-list", "noise") == 1, Duration.ofSeconds(10), "the list to compare as noise");

                HttpResponse<String> one = http.post("/ai/models/gpt-5-pro", "{}");
                assertThat(one.statusCode(), is(200));
                Awaits.until(() -> count(gateway, "models-get", "mismatch") == 1, Duration.ofSeconds(10), "the model to mismatch");
                JsonObject route = MigrationFixture.route(gateway, "models-get");
                JsonObject d = route.getAsJsonArray("last_differences").get(0).getAsJsonObject();
                assertThat(d.get("path").getAsString(), is("/model/name"));
                assertThat(d.get("legacy").getAsString(), is("GPT-5 Pro (legacy)"));
                assertThat(d.get("nats").getAsString(), is("GPT-5 Pro"));
                assertThat(MigrationFixture.route(gateway, "models-list").getAsJsonArray("noise").toString(),
                           is("[{\"path\":\"/served_at\",\"count\":1}]"));
                assertThat(count(gateway, "models-list", "mismatch"), is(0));
            }
        }
    }

    private static int count(Gateway gateway, String route, String result) {
        return MigrationFixture.route(gateway, route).getAsJsonObject("comparisons").get(result).getAsInt();
    }
}
