package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.LogLines;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What happens to the NATS connection is logged: one line per event (connected, cannot reach NATS
 * at start, disconnected, reconnected, lame duck, permission error), however many times jnats
 * retries in between. Against real nats-server processes.
 */
class NatsEventLogIT {
    private static final String LOGGER = "gaming.gateway.nats";
    /** Long enough for jnats to retry several times (every 0.5–1 s) within one outage. */
    private static final Duration RETRIES = Duration.ofMillis(2500);

    @Test
    void connectedNamesTheServerOnce() {
        try (LogLines log = LogLines.of(LOGGER);
             NatsServer nats = NatsServer.start();
             Gateway gateway = TestGateway.start(nats.url())) {
            log.await("NATS connected to " + nats.url());
            // one line for the one connect; on a loaded machine a first attempt may time out, which is
            // an event of its own ("cannot reach NATS", covered below), so only the connected line is counted
            assertThat(log.containing(nats.url()).toString(),
                       log.containing("INFO NATS connected to " + nats.url() + " (server ").size(), is(1));
            assertThat(log.containing(nats.url()).toString(), log.containing("reconnected").size(), is(0));
        }
    }

    @Test
    void anOutageIsOneDisconnectedAndOneReconnectedLine() throws Exception {
        try (LogLines log = LogLines.of(LOGGER);
             NatsServer nats = NatsServer.start();
             Gateway gateway = TestGateway.start(nats.url())) {
            nats.stop();
            log.await("NATS disconnected from " + nats.url());
            Thread.sleep(RETRIES.toMillis());
            nats.restart();
            log.await("NATS reconnected to " + nats.url());
            assertThat(log.containing("WARNING NATS disconnected from " + nats.url()).size(), is(1));
            assertThat(log.containing("INFO NATS reconnected to " + nats.url() + " (server ").size(), is(1));
            assertThat("connected, disconnected, reconnected: " + log.containing(nats.url()),
                       log.containing(nats.url()).size(), is(3));
        }
    }

    @Test
    void cannotReachNatsAtStartIsOneLineThenConnected() throws Exception {
        try (LogLines log = LogLines.of(LOGGER);
             NatsServer nats = NatsServer.notStarted();
             Gateway gateway = TestGateway.start(nats.url())) {
            log.await("cannot reach NATS at " + nats.url());
            Thread.sleep(RETRIES.toMillis());
            nats.restart();
            Awaits.natsConnected(gateway);
            log.await("NATS connected to " + nats.url());
            assertThat(log.containing("WARNING cannot reach NATS at " + nats.url()).size(), is(1));
            assertThat(log.containing("WARNING cannot reach NATS at " + nats.url()).getFirst(),
                       is("WARNING cannot reach NATS at " + nats.url() + " (Connection refused); retrying every"
                                  + " 0.5-1 s, requests get 503 NATS_UNAVAILABLE until connected"));
            assertThat("cannot reach, connected: " + log.containing(nats.url()), log.containing(nats.url()).size(), is(2));
        }
    }

    @Test
    void lameDuckIsOneLine() throws Exception {
        Path config = Files.createTempFile("ldm", ".conf");
        Files.writeString(config, "lame_duck_duration: \"120s\"\nlame_duck_grace_period: \"10s\"\n");
        try (LogLines log = LogLines.of(LOGGER);
             NatsServer nats = NatsServer.start("-c", config.toString());
             Gateway gateway = TestGateway.start(nats.url())) {
            Process signal = new ProcessBuilder(NatsServer.binary(), "--signal", "ldm=" + nats.pid())
                    .redirectErrorStream(true).start();
            assertThat(signal.waitFor(), is(0));
            log.await("is in lame-duck mode");
            Thread.sleep(RETRIES.toMillis());
            List<String> lines = log.containing("lame-duck");
            assertThat(lines.toString(), lines.size(), is(1));
            assertThat(lines.getFirst(), is("WARNING NATS server " + nats.url() + " is in lame-duck mode: moving new requests to another server"));
        }
    }

    @Test
    void aPermissionErrorIsOneLinePerViolation() throws Exception {
        Path config = Files.createTempFile("auth", ".conf");
        Files.writeString(config, """
                authorization {
                  users = [
                    {user: gateway, password: gw-secret, permissions: {publish: {deny: ["svc.quest.v1.generate"]}}}
                  ]
                }
                """);
        try (LogLines log = LogLines.of(LOGGER);
             NatsServer nats = NatsServer.start("-c", config.toString());
             Gateway gateway = TestGateway.start(nats.url(), Map.of("gateway.nats.user", "gateway",
                                                                    "gateway.nats.password", "gw-secret",
                                                                    "gateway.nats.timeout-seconds", "2"))) {
            Problems.assertProblem(new Http(gateway.port()).post("/quest/generate", "{}"), 403, "PERMISSION_DENIED");
            log.await("NATS permission error");
            List<String> lines = log.containing("NATS permission error");
            assertThat(lines.toString(), lines.size(), is(1));
            assertThat(lines.getFirst(), is("WARNING NATS permission error: Permissions Violation for Publish to"
                    + " \"svc.quest.v1.generate\"; such requests get 403 PERMISSION_DENIED"));
        }
    }
}
