package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gaming.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's "use NATS if it answers, else start nats-server, else say what to install". */
class EmbeddedNatsIT {
    /** An environment that finds nats-server the way the test helper does. */
    static Map<String, String> envWithNatsServer() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        env.put("NATS_SERVER_BIN", NatsServer.binary());
        return env;
    }

    @Test
    void usesTheServerThatAnswers() {
        try (NatsServer running = NatsServer.start(new String[0]);
             EmbeddedNats nats = EmbeddedNats.ensure(running.url(), Map.of("PATH", ""))) {
            assertThat(nats.started(), is(false));
            assertThat(nats.url(), is(running.url()));
        }
    }

    @Test
    void startsNatsServerWithJetStreamWhenNoneAnswersAndStopsItOnClose() throws Exception {
        String nobody = "nats://127.0.0.1:" + NatsServer.freePort();
        String url;
        Path dir;
        try (EmbeddedNats nats = EmbeddedNats.ensure(nobody, envWithNatsServer())) {
            assertThat(nats.started(), is(true));
            url = nats.url();
            assertThat(url, not(nobody));
            dir = nats.storeDir().orElseThrow();
            try (Connection conn = Nats.connect(url)) {
                assertThat(conn.keyValueManagement().getBucketNames().isEmpty(), is(true)); // JetStream answers
            }
        }
        assertThat(EmbeddedNats.reachable(url), is(false));
        assertThat(Files.exists(dir), is(false));
    }

    @Test
    void saysWhatToInstallWhenThereIsNoServerAndNoBinary(@TempDir Path emptyDir) {
        String nobody = "nats://127.0.0.1:" + NatsServer.freePort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedNats.ensure(nobody, Map.of("PATH", emptyDir.toString())));
        assertThat(e.getMessage(), containsString(nobody));
        assertThat(e.getMessage(), containsString("Install nats-server"));
    }

    @Test
    void findsTheBinaryOnThePathOrThroughNatsServerBin(@TempDir Path dir) throws Exception {
        Path fake = Files.createFile(dir.resolve("nats-server"));
        assertThat(EmbeddedNats.findBinary(Map.of("PATH", dir.toString())).isPresent(), is(false)); // not executable
        assertThat(fake.toFile().setExecutable(true), is(true));
        assertThat(EmbeddedNats.findBinary(Map.of("PATH", "/nonexistent:" + dir)).orElseThrow(), is(fake));
        assertThat(EmbeddedNats.findBinary(Map.of("NATS_SERVER_BIN", fake.toString())).orElseThrow(), is(fake));
        assertThat(EmbeddedNats.findBinary(Map.of("NATS_SERVER_BIN", dir.resolve("gone").toString())).isPresent(),
                is(false));
    }
}
