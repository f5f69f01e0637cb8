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

/** The demo's "use NATS_URL if set, else start a nats-server of its own, else say what to install". */
class EmbeddedNatsIT {
    /** An environment that finds nats-server the way the test helper does. */
    static Map<String, String> envWithNatsServer() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        env.put("NATS_SERVER_BIN", NatsServer.binary());
        return env;
    }

    @Test
    void usesTheServerItIsGivenAndStartsNothing() {
        try (NatsServer running = NatsServer.start(new String[0]);
             EmbeddedNats nats = EmbeddedNats.use(running.url())) {
            assertThat(nats.started(), is(false));
            assertThat(nats.url(), is(running.url()));
            assertThat(nats.storeDir().isPresent(), is(false));
        }
    }

    @Test
    void startsItsOwnNatsServerWithJetStreamAndStopsItOnClose() throws Exception {
        String url;
        Path dir;
        try (EmbeddedNats nats = EmbeddedNats.start(envWithNatsServer())) {
            assertThat(nats.started(), is(true));
            url = nats.url();
            assertThat(url, not(EmbeddedNats.DEFAULT_URL));
            dir = nats.storeDir().orElseThrow();
            try (Connection conn = Nats.connect(url)) {
                assertThat(conn.keyValueManagement().getBucketNames().isEmpty(), is(true)); // JetStream answers
            }
        }
        assertThat(EmbeddedNats.reachable(url), is(false));
        assertThat(Files.exists(dir), is(false));
    }

    @Test
    void saysWhatToInstallWhenThereIsNoBinary(@TempDir Path emptyDir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedNats.start(Map.of("PATH", emptyDir.toString())));
        assertThat(e.getMessage(), containsString("Install nats-server (Debian/Ubuntu: 'apt-get install nats-server'"));
    }

    @Test
    void theNextStartStopsAServerWhoseDemoIsGoneAndDeletesItsDirectory(@TempDir Path root) throws Exception {
        Process server = new ProcessBuilder(NatsServer.binary(), "-a", "127.0.0.1", "-p", String.valueOf(NatsServer.freePort()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Path dir = Files.createDirectories(root.resolve(String.valueOf(gone.pid())));
            Files.writeString(dir.resolve("nats-server.pid"), String.valueOf(server.pid()));
            Path running = Files.createDirectories(root.resolve(String.valueOf(ProcessHandle.current().parent().orElseThrow().pid())));

            assertThat(EmbeddedNats.cleanUpLeftovers(root), is(java.util.List.of("Stopped nats-server (pid " + server.pid()
                    + ") left running by an earlier demo (pid " + gone.pid() + ") and deleted " + dir)));
            assertThat(server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), is(true));
            assertThat(Files.exists(dir), is(false));
            assertThat("a live demo's directory stays", Files.exists(running), is(true));
        } finally {
            server.destroyForcibly();
        }
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
