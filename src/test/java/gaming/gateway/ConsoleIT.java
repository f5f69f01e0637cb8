package gaming.gateway;

import com.google.gson.JsonObject;
import gaming.testing.Awaits;
import gaming.testing.HeadlessChromium;
import gaming.testing.Http;
import gaming.testing.LegacyServer;
import gaming.testing.MigrationFixture;
import gaming.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The console in headless Chromium: it lists every route in migration with its mode and counts as
 * {@code GET /admin/migration} has them, and changing a percent through its form changes the route.
 * Leaves a screenshot in {@code target/console.png}.
 */
class ConsoleIT {
    @Test
    void theConsoleShowsEveryRouteAndChangesAPercent() throws Exception {
        try (NatsServer nats = NatsServer.start();
             LegacyServer legacy = LegacyServer.start();
             Gateway gateway = MigrationFixture.start(nats.url(), legacy.url(), Map.of());
             HeadlessChromium browser = HeadlessChromium.start()) {
            legacy.on("/quest/generate", (r, ex) -> LegacyServer.send(ex, 200, "application/json", "{\"quest\":{}}"));
            Http http = new Http(gateway.port());
            for (int i = 0; i < 3; i++) {
                http.post("/quest/generate", "{}");
            }
            JsonObject routes = MigrationFixture.migration(gateway).getAsJsonObject("routes");

            browser.navigate("http://127.0.0.1:" + gateway.adminPort() + "/admin/#token=" + MigrationFixture.TOKEN);
            Awaits.until(() -> browser.eval("document.querySelectorAll('#routes tr').length").getAsInt() == routes.size(),
                         Duration.ofSeconds(20), "the console to list " + routes.size() + " routes");
            Map<String, String> shown = new TreeMap<>();
            for (var row : browser.eval("[...document.querySelectorAll('#routes tr')].map(tr => [tr.dataset.route,"
                                                + " tr.querySelector('.mode').textContent + ' ' + tr.querySelector('.requests').textContent])")
                    .getAsJsonArray()) {
                shown.put(row.getAsJsonArray().get(0).getAsString(), row.getAsJsonArray().get(1).getAsString());
            }
            Map<String, String> expected = new TreeMap<>();
            for (var e : routes.entrySet()) {
                JsonObject r = e.getValue().getAsJsonObject();
                expected.put(e.getKey(), r.get("mode").getAsString() + " " + r.getAsJsonObject("requests").get("nats").getAsInt()
                        + " / " + r.getAsJsonObject("requests").get("legacy").getAsInt());
            }
            assertThat(shown, is(expected));
            assertThat(shown.get("quest-generate"), is("legacy 0 / 3"));

            browser.eval("(() => { const tr = document.querySelector('tr[data-route=\"models-get\"]');"
                                 + " tr.querySelector('.percent-input').value = '25'; tr.querySelector('button').click(); })()");
            Awaits.until(() -> MigrationFixture.route(gateway, "models-get").get("percent").getAsString().equals("25"),
                         Duration.ofSeconds(20), "the console's change to reach GET /admin/migration");
            assertThat(MigrationFixture.route(gateway, "models-get").get("mode").getAsString(), is("split"));
            Awaits.until(() -> browser.eval("document.querySelector('tr[data-route=\"models-get\"] .percent').textContent")
                                 .getAsString().equals("25"), Duration.ofSeconds(20), "the console to show the new percent");
            Files.write(Path.of("target/console.png"), browser.screenshot());
        }
    }
}
