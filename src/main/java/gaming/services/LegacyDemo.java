package gaming.services;

import ai.model.v1.Model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The legacy HTTP model service of the migration demo ({@code demo-migration}): answers
 * {@code POST /ai/models} and {@code POST /ai/models/{model_id}} from the same catalogue as the NATS
 * {@link ModelService}, as the old microservice did, with two differences for the comparison to
 * find: a {@code served_at} timestamp on every list (noise: it differs between two legacy answers)
 * and a {@code name} with a {@code " (legacy)"} suffix on every single model (a real mismatch).
 */
public final class LegacyDemo implements AutoCloseable {
    /** The demo's port when {@code LEGACY_PORT} is not set. */
    public static final int DEFAULT_PORT = 8090;
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private final HttpServer server;

    private LegacyDemo(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ai/models", this::handle);
        server.start();
    }

    /** Starts the service on loopback {@code port} (0: a free one). */
    public static LegacyDemo start(int port) throws IOException {
        return new LegacyDemo(port);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The config keys that put the demo's routes in migration against {@code legacyUrl}: models-list and
     * models-get in {@code shadow} (legacy answers, NATS compared), {@code meta} ignored.
     *
     * @param routeNames the names of {@code gateway.routes} in order (the keys address them by index)
     */
    public static Map<String, String> gatewayKeys(List<String> routeNames, String legacyUrl) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String route : List.of("models-list", "models-get")) {
            int i = routeNames.indexOf(route);
            if (i < 0) {
                throw new IllegalStateException("the route table has no route " + route);
            }
            String prefix = "gateway.routes." + i + ".";
            keys.put(prefix + "legacy.url", legacyUrl);
            keys.put(prefix + "migration.mode", "shadow");
            keys.put(prefix + "migration.ignore.0", "meta");
            keys.put(prefix + "migration.noise-sample", "1");
        }
        return keys;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            JsonObject body = parse(exchange.getRequestBody().readAllBytes());
            if (path.equals("/ai/models")) {
                String capability = body.has("capability") ? body.get("capability").getAsString() : "";
                StringBuilder models = new StringBuilder();
                for (Model m : ModelService.CATALOGUE) {
                    if (capability.isEmpty() || m.getCapabilitiesList().contains(capability)) {
                        models.append(models.isEmpty() ? "" : ",").append(PRINTER.print(m));
                    }
                }
                send(exchange, 200, "{\"models\":[" + models + "],\"served_at\":\"" + Instant.now() + "\"}");
                return;
            }
            String id = path.substring("/ai/models/".length());
            for (Model m : ModelService.CATALOGUE) {
                if (m.getModelId().equals(id)) {
                    send(exchange, 200, "{\"model\":" + PRINTER.print(m.toBuilder().setName(m.getName() + " (legacy)")) + "}");
                    return;
                }
            }
            send(exchange, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no model " + id + "\"}}");
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(e);
        }
    }

    private static JsonObject parse(byte[] body) {
        try {
            JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
