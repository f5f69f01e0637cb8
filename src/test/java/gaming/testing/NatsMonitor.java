package gaming.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** Reads a nats-server's monitoring endpoint ({@link NatsServer#monitorUrl()}): connections, subscriptions, counters. */
public final class NatsMonitor {
    /** The gateway's NATS connection name (gateway.nats.connection-name default). */
    public static final String GATEWAY_CONNECTION = "http-nats-gateway";

    private static final HttpClient MONITOR = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NatsMonitor() {
    }

    /**
     * The subscriptions nats-server holds for connections named {@code name} (from
     * {@code /connz?subs=1}), -1 when no such connection is there.
     */
    public static int subscriptions(String monitorUrl, String name) {
        int total = -1;
        for (JsonObject conn : named(monitorUrl + "/connz?subs=1", name)) {
            total = Math.max(total, 0) + conn.get("subscriptions").getAsInt();
        }
        return total;
    }

    /** The subjects subscribed by connections named {@code name}. */
    public static Set<String> subjects(String monitorUrl, String name) {
        Set<String> subjects = new TreeSet<>();
        for (JsonObject conn : named(monitorUrl + "/connz?subs=1", name)) {
            if (conn.has("subscriptions_list")) {
                conn.getAsJsonArray("subscriptions_list").forEach(s -> subjects.add(s.getAsString()));
            }
        }
        return subjects;
    }

    /** How many connections named {@code name} nats-server has. */
    public static int connections(String monitorUrl, String name) {
        return named(monitorUrl + "/connz", name).size();
    }

    /** Messages nats-server has received from all clients so far ({@code /varz in_msgs}). */
    public static long inMsgs(String monitorUrl) {
        return JsonParser.parseString(get(monitorUrl + "/varz")).getAsJsonObject().get("in_msgs").getAsLong();
    }

    private static java.util.List<JsonObject> named(String connzUrl, String name) {
        JsonObject connz = JsonParser.parseString(get(connzUrl)).getAsJsonObject();
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        if (connz.has("connections") && !connz.get("connections").isJsonNull()) {
            for (JsonElement element : connz.getAsJsonArray("connections")) {
                JsonObject conn = element.getAsJsonObject();
                if (conn.has("name") && name.equals(conn.get("name").getAsString())) {
                    out.add(conn);
                }
            }
        }
        return out;
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
