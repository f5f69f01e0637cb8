package gaming.gateway;

import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.Responder;

import com.google.protobuf.Struct;
import com.sun.net.httpserver.HttpServer;
import io.nats.client.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real browser across origins: headless Chromium loads a page from one loopback port, whose
 * script calls a gateway route on another port with {@code fetch} (a preflighted request: JSON
 * body, {@code X-Trace-ID} and {@code Idempotency-Key}) and reports the JSON and the
 * {@code X-Trace-ID} response header it could read back to the page's server. Skipped, with the
 * reason printed, where no {@code chromium} is installed.
 */
class CorsBrowserIT {
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(), Path.of("src/test/resources/cors-routes.yaml"));

    @Test
    void aPageFromAnotherOriginReadsTheJsonAndTheTraceId() throws Exception {
        Path browser = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (browser == null) {
            System.out.println("CorsBrowserIT skipped: no chromium at " + BROWSERS);
        }
        assumeTrue(browser != null, "no chromium installed");

        BlockingQueue<String> results = new ArrayBlockingQueue<>(4);
        HttpServer pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pages.start();
        Path profile = Files.createTempDirectory("chromium-profile");
        Process chromium = null;
        try {
            String origin = "http://127.0.0.1:" + pages.getAddress().getPort();
            int gatewayPort = fx.another(Map.of("gateway.cors.allow-origins", origin),
                                         Path.of("src/test/resources/cors-routes.yaml")).port();
            pages.createContext("/page.html", exchange -> send(exchange, "text/html", page(gatewayPort)));
            pages.createContext("/result", exchange -> {
                results.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                send(exchange, "text/plain", "ok");
            });
            byte[] quest = GenerateQuestResponse.newBuilder().setQuest(Quest.newBuilder().setQuestId("q-7")).build()
                    .toByteArray();
            try (Responder svc = Responder.create(fx.service(), "test.cors.quests", msg -> quest)) {
                chromium = new ProcessBuilder(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                                              "--no-first-run", "--disable-background-networking",
                                              "--disable-component-update", "--disable-sync", "--disable-default-apps",
                                              "--user-data-dir=" + profile, origin + "/page.html")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                String result = results.poll(60, TimeUnit.SECONDS);
                assertThat("the page reported nothing within 60 s", result != null, is(true));

                Struct seen = Problems.parse(result);
                assertThat(result, seen.getFieldsOrThrow("status").getNumberValue(), is(200.0));
                assertThat(result, seen.getFieldsOrThrow("trace").getStringValue(), is("browser-trace-1"));
                assertThat(result, seen.getFieldsOrThrow("quest_id").getStringValue(), is("q-7"));
                Message sent = svc.next();
                assertThat(sent.getHeaders().getFirst("Idempotency-Key"), is("browser-key-1"));
            }
        } finally {
            if (chromium != null) {
                chromium.destroy();
                if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                    chromium.destroyForcibly();
                }
            }
            pages.stop(0);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String page(int gatewayPort) {
        return """
                <!doctype html><html><body><script>
                (async () => {
                  let report;
                  try {
                    const res = await fetch("http://127.0.0.1:%d/quests", {
                      method: "POST",
                      headers: {"Content-Type": "application/json", "X-Trace-ID": "browser-trace-1",
                                "Idempotency-Key": "browser-key-1"},
                      body: "{}"});
                    const json = await res.json();
                    report = {status: res.status, trace: res.headers.get("X-Trace-ID"), quest_id: json.quest.quest_id};
                  } catch (e) {
                    report = {status: 0, trace: "", quest_id: "", error: String(e)};
                  }
                  await fetch("/result", {method: "POST", body: JSON.stringify(report)});
                })();
                </script></body></html>
                """.formatted(gatewayPort);
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
