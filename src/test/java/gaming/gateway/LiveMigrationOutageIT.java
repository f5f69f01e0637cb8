package gaming.gateway;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gaming.testing.Awaits;
import gaming.testing.LegacyServer;
import gaming.testing.MigrationFixture;
import gaming.testing.NatsMonitor;
import gaming.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueEntry;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Live migration changes when the shared JetStream bucket is not there, or not for a while: a change
 * then applies to one instance and says why, and sharing comes back on its own (JetStream enabled
 * later, a server restart, a store the server refused, a move off a lame-duck server).
 */
class LiveMigrationOutageIT {
    private static final String BUCKET = "gateway_migration";
    /** Generous: the gateway tries JetStream again at most every 30 s, jnats remakes a watch within 15 s. */
    private static final Duration LONG = Duration.ofSeconds(90);
    private static final Duration SHORT = Duration.ofSeconds(20);

    @Test
    void jetStreamEnabledLaterIsUsedOnceThere() throws Exception {
        try (NatsServer nats = NatsServer.startWithoutJetStream();
             LegacyServer legacy = LegacyServer.start();
             Gateway a = MigrationFixture.start(nats.url(), legacy.url(), Map.of());
             Gateway b = MigrationFixture.start(nats.url(), legacy.url(), Map.of())) {
            Awaits.natsConnected(a);
            Awaits.natsConnected(b);
            JsonObject local = answer(MigrationFixture.put(a, "models-get", "{\"mode\":\"legacy\"}"));
            assertThat(local.get("scope").getAsString(), is("this-instance"));
            assertThat(local.get("reason").getAsString(),
                       is("the JetStream bucket gateway_migration is not available (the gateway keeps trying to reach it)"));
            assertThat(mode(a, "models-get"), is("legacy"));
            assertThat(mode(b, "models-get"), is("split"));
            assertThat(MigrationFixture.migration(a).get("shared").getAsBoolean(), is(false));

            nats.stop();
            nats.restart(); // the same port, now with JetStream
            long took = 0;
            for (Gateway g : List.of(a, b)) {
                took += Awaits.until(() -> MigrationFixture.migration(g).get("shared").getAsBoolean(), LONG,
                                     "the instance to share through the bucket once JetStream is there");
            }
            System.out.printf("both instances shared within %d ms of JetStream being there%n", took);
            // the bucket is new and empty: the change made on A alone stays there until the route's key is written
            assertThat(mode(a, "models-get"), is("legacy"));
            assertThat(mode(b, "models-get"), is("split"));

            JsonObject shared = answer(MigrationFixture.put(a, "models-get", "{\"mode\":\"split\",\"percent\":50}"));
            assertThat(shared.get("scope").getAsString(), is("all-instances"));
            assertThat(shared.has("reason"), is(false));
            Awaits.until(() -> percent(b, "models-get").equals("50"), SHORT, "the other instance to apply percent 50");
            assertThat(mode(b, "models-get"), is("split"));
            assertThat(percent(a, "models-get"), is("50"));
        }
    }

    @Test
    void aStoreTheServerRefusesAppliesHereOnlyAndTheNextChangeIsSharedAgain() throws Exception {
        // the gateway's user may not publish to one key of the bucket: storing that route's change fails
        // (the server refuses it and JetStream never answers); it used to turn sharing off for good
        Path config = Files.createTempFile("kv-deny", ".conf");
        Files.writeString(config, """
                authorization {
                  users = [
                    {user: gateway, password: gw-secret, permissions: {publish: {deny: ["$KV.gateway_migration.models-get"]}}}
                  ]
                }
                """);
        Map<String, String> login = Map.of("gateway.nats.user", "gateway", "gateway.nats.password", "gw-secret");
        try (NatsServer nats = NatsServer.start("-c", config.toString());
             LegacyServer legacy = LegacyServer.start();
             Gateway a = MigrationFixture.start(nats.url(), legacy.url(), login);
             Gateway b = MigrationFixture.start(nats.url(), legacy.url(), login)) {
            awaitShared(a, b);
            JsonObject refused = answer(MigrationFixture.put(a, "models-get", "{\"mode\":\"legacy\"}"));
            assertThat(refused.get("scope").getAsString(), is("this-instance"));
            assertThat(refused.get("reason").getAsString(),
                       is("the JetStream bucket gateway_migration did not store it: "
                          + "Permissions Violation for Publish to \"$KV.gateway_migration.models-get\""));
            assertThat(mode(a, "models-get"), is("legacy"));

            JsonObject next = answer(MigrationFixture.put(a, "quest-generate", "{\"mode\":\"shadow\"}"));
            assertThat(next.get("scope").getAsString(), is("all-instances"));
            Awaits.until(() -> mode(b, "quest-generate").equals("shadow"), SHORT, "the other instance to apply mode shadow");
            // the bucket delivers in order: had the refused change been stored, B would have it by now
            assertThat(mode(b, "models-get"), is("split"));
            assertThat(percent(b, "models-get"), is("10"));
            Awaits.until(() -> MigrationFixture.migration(a).get("shared").getAsBoolean(), SHORT,
                         "the instance that failed a store to say it shares again");
        }
    }

    @Test
    void aChangeWhileNatsIsDownAppliesHereAndTheWatchesGoOnAfterTheRestart() throws Exception {
        try (NatsServer nats = NatsServer.start();
             LegacyServer legacy = LegacyServer.start();
             Gateway a = MigrationFixture.start(nats.url(), legacy.url(), Map.of());
             Gateway b = MigrationFixture.start(nats.url(), legacy.url(), Map.of())) {
            awaitShared(a, b);
            assertThat(answer(MigrationFixture.put(a, "models-get", "{\"percent\":20}")).get("scope").getAsString(),
                       is("all-instances"));
            Awaits.until(() -> percent(b, "models-get").equals("20"), SHORT, "the other instance to apply percent 20");

            nats.stop();
            Awaits.until(() -> !a.natsConnected(), SHORT, "the gateway to see NATS gone");
            JsonObject down = answer(MigrationFixture.put(a, "models-get", "{\"percent\":30}"));
            assertThat(down.get("scope").getAsString(), is("this-instance"));
            assertThat(down.get("reason").getAsString(), is("NATS is not connected"));
            assertThat(percent(a, "models-get"), is("30"));
            assertThat(MigrationFixture.migration(a).get("shared").getAsBoolean(), is(false));

            nats.restart(); // the same port and store: the bucket is still there, the watches' consumers are not
            Awaits.natsConnected(a);
            Awaits.natsConnected(b);
            awaitBucket(nats);
            awaitShared(a, b);
            // A's watch delivers again, and goes on from where it was: the value the bucket had before the
            // outage (percent 20) is not delivered again, so A keeps the change it made alone
            assertThat(answer(MigrationFixture.put(b, "quest-generate", "{\"mode\":\"shadow\"}")).get("scope").getAsString(),
                       is("all-instances"));
            long took = Awaits.until(() -> mode(a, "quest-generate").equals("shadow"), LONG,
                                     "A's watch to deliver B's change after the restart");
            System.out.printf("first change after the restart seen by the other instance within %d ms%n", took);
            assertThat(percent(a, "models-get"), is("30"));

            JsonObject after = answer(MigrationFixture.put(a, "models-get", "{\"percent\":40}"));
            assertThat(after.get("scope").getAsString(), is("all-instances"));
            Awaits.until(() -> percent(b, "models-get").equals("40"), LONG, "B's watch to deliver percent 40");
            assertThat(percent(a, "models-get"), is("40"));
        }
    }

    @Test
    void afterAMoveOffALameDuckServerChangesAreStoredThroughTheNewConnection() throws Exception {
        // two servers that are no cluster: each has its own JetStream; the gateway's first connection, with
        // its watch, is closed after the move, and the bucket is watched (and made) on the other server
        Path config = Files.createTempFile("ldm", ".conf");
        Files.writeString(config, "lame_duck_duration: \"120s\"\nlame_duck_grace_period: \"60s\"\n");
        try (NatsServer first = NatsServer.start("-c", config.toString());
             NatsServer second = NatsServer.start("-c", config.toString());
             LegacyServer legacy = LegacyServer.start();
             Gateway g = MigrationFixture.start(first.url() + "," + second.url(), legacy.url(), Map.of())) {
            awaitShared(g);
            NatsServer current = hasGateway(first) ? first : second;
            NatsServer other = current == first ? second : first;
            Process signal = new ProcessBuilder(NatsServer.binary(), "--signal", "ldm=" + current.pid())
                    .redirectErrorStream(true).start();
            assertThat(signal.waitFor(), is(0));
            Awaits.until(() -> hasGateway(other) && !hasGateway(current), Duration.ofSeconds(50),
                         "the gateway to move to the other server (before the 60 s grace period ends)");
            awaitShared(g);

            JsonObject answer = answer(MigrationFixture.put(g, "models-get", "{\"mode\":\"legacy\"}"));
            assertThat(answer.get("scope").getAsString(), is("all-instances"));
            try (Connection reader = Nats.connect(other.url())) {
                KeyValueEntry stored = reader.keyValue(BUCKET).get("models-get");
                assertThat(JsonParser.parseString(stored.getValueAsString()), is(answer.get("settings")));
            }
        }
    }

    private static JsonObject answer(HttpResponse<String> put) {
        assertThat(put.body(), put.statusCode(), is(200));
        return JsonParser.parseString(put.body()).getAsJsonObject();
    }

    private static String mode(Gateway g, String route) {
        return MigrationFixture.route(g, route).get("mode").getAsString();
    }

    private static String percent(Gateway g, String route) {
        return MigrationFixture.route(g, route).get("percent").getAsString();
    }

    private static void awaitShared(Gateway... gateways) {
        for (Gateway g : gateways) {
            Awaits.until(() -> MigrationFixture.migration(g).get("shared").getAsBoolean(), LONG,
                         "the instance to share through the JetStream bucket");
        }
    }

    /** Waits until a client of its own can read the bucket's status (JetStream has loaded it after a restart). */
    private static void awaitBucket(NatsServer nats) throws Exception {
        try (Connection c = Nats.connect(Options.builder().server(nats.url()).build())) {
            KeyValueManagement kvm = c.keyValueManagement();
            Awaits.until(() -> {
                try {
                    return kvm.getStatus(BUCKET) != null;
                } catch (Exception notYet) {
                    return false;
                }
            }, LONG, "JetStream to have the bucket again");
        }
    }

    private static boolean hasGateway(NatsServer server) {
        try {
            return NatsMonitor.connections(server.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION) > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
