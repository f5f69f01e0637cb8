package gaming.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless {@code chromium} driven over the Chrome DevTools Protocol (a WebSocket to the
 * page): navigate, evaluate JavaScript, take a screenshot. For browser tests of pages the gateway serves.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, String pageSocket) {
        this.process = process;
        this.profile = profile;
        this.socket = CLIENT.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).join();
    }

    /** Starts {@code chromium} headless on a free debugging port and connects to its blank page. */
    public static HeadlessChromium start() throws IOException {
        int port = NatsServer.freePort();
        Path profile = Files.createTempDirectory("chromium");
        Process p = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                       "--window-size=1400,900", "--remote-debugging-port=" + port,
                                       "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        String[] ws = new String[1];
        Awaits.until(() -> {
            try {
                HttpResponse<String> list = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                                                        HttpResponse.BodyHandlers.ofString());
                for (JsonElement t : JsonParser.parseString(list.body()).getAsJsonArray()) {
                    if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
                        ws[0] = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                        return true;
                    }
                }
            } catch (IOException | RuntimeException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, Duration.ofSeconds(30), "chromium to open its debugging port");
        return new HeadlessChromium(p, profile, ws[0]);
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params);
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        pending.put(id, result);
        socket.sendText(msg.toString(), true).join();
        try {
            JsonObject answer = result.get(30, TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new AssertionError(method + ": " + answer.get("error"));
            }
            return answer.getAsJsonObject("result");
        } catch (Exception e) {
            throw new AssertionError(method + " failed", e);
        }
    }

    /** Loads {@code url} in the page. */
    public void navigate(String url) {
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        call("Page.navigate", p);
    }

    /** The value of a JavaScript expression (awaited when it is a promise), as JSON. */
    public JsonElement eval(String expression) {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", true);
        JsonObject r = call("Runtime.evaluate", p).getAsJsonObject("result");
        return r.has("value") ? r.get("value") : com.google.gson.JsonNull.INSTANCE;
    }

    /** A PNG of the page as it is shown now. */
    public byte[] screenshot() {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").getAsString());
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                if (msg.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}
