package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.TestGateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the fault tests share: gateways without the access log, reconnecting services, waits, NATS monitoring. */
final class FaultKit {
    /** The gateway's NATS connection name (gateway.nats.connection-name default). */
    static final String GATEWAY_CONNECTION = "http-nats-gateway";

    private static final HttpClient MONITOR = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FaultKit() {
    }

    /** A gateway with the repo's route table and {@code overrides}, its access log off (the load would flood it). */
    static Gateway gateway(String natsUrl, Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.access-log.enabled", "false");
        keys.putAll(overrides);
        return TestGateway.start(natsUrl, keys);
    }

    /** A service connection that reconnects forever, quickly, as a real service would. */
    static Connection service(String natsUrl) throws IOException, InterruptedException {
        return Nats.connect(Options.builder()
                                    .server(natsUrl)
                                    .connectionName("fault-test-service")
                                    .maxReconnects(-1)
                                    .reconnectWait(Duration.ofMillis(200))
                                    .connectionTimeout(Duration.ofSeconds(2))
                                    .build());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The subscriptions nats-server holds for connections named {@code name} (from
     * {@code /connz?subs=1}), -1 when no such connection is there.
     */
    static int subscriptions(String monitorUrl, String name) {
        JsonObject connz = JsonParser.parseString(get(monitorUrl + "/connz?subs=1")).getAsJsonObject();
        int total = -1;
        if (!connz.has("connections") || connz.get("connections").isJsonNull()) {
            return total;
        }
        for (JsonElement element : connz.getAsJsonArray("connections")) {
            JsonObject conn = element.getAsJsonObject();
            if (conn.has("name") && name.equals(conn.get("name").getAsString())) {
                total = Math.max(total, 0) + conn.get("subscriptions").getAsInt();
            }
        }
        return total;
    }

    /** How many connections named {@code name} nats-server has. */
    static int connections(String monitorUrl, String name) {
        JsonObject connz = JsonParser.parseString(get(monitorUrl + "/connz")).getAsJsonObject();
        int count = 0;
        if (connz.has("connections") && !connz.get("connections").isJsonNull()) {
            for (JsonElement element : connz.getAsJsonArray("connections")) {
                JsonObject conn = element.getAsJsonObject();
                if (conn.has("name") && name.equals(conn.get("name").getAsString())) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String get(String url) {
        try {
            HttpResponse<String> res = MONITOR.send(HttpRequest.newBuilder(URI.create(url))
                                                            .timeout(Duration.ofSeconds(5)).build(),
                                                    HttpResponse.BodyHandlers.ofString());
            return res.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
