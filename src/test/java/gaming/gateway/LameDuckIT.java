package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.NatsMonitor;
import gaming.testing.NatsServer;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A server entering lame-duck mode: the gateway moves to another server of its URL list at once,
 * long before the server itself starts closing connections, and keeps serving.
 */
class LameDuckIT {
    @Test
    void movesToAnotherServerWhenItsServerGoesLameDuck() throws Exception {
        Path config = Files.createTempFile("ldm", ".conf");
        // the server would start closing client connections only after a 10 s grace period
        Files.writeString(config, "lame_duck_duration: \"120s\"\nlame_duck_grace_period: \"10s\"\n");
        try (NatsServer a = NatsServer.start("-c", config.toString());
             NatsServer b = NatsServer.start("-c", config.toString());
             Gateway gateway = TestGateway.start(a.url() + "," + b.url(), Map.of());
             Connection onA = Nats.connect(a.url());
             Connection onB = Nats.connect(b.url());
             Responder svcA = Responder.create(onA, "svc.quest.v1.generate",
                                               msg -> GenerateQuestResponse.getDefaultInstance().toByteArray());
             Responder svcB = Responder.create(onB, "svc.quest.v1.generate",
                                               msg -> GenerateQuestResponse.getDefaultInstance().toByteArray())) {
            Http http = new Http(gateway.port());
            assertThat(http.post("/quest/generate", "{}").statusCode(), is(200));
            NatsServer current = hasGateway(a) ? a : b;
            NatsServer other = current == a ? b : a;

            Process signal = new ProcessBuilder(NatsServer.binary(), "--signal", "ldm=" + current.pid())
                    .redirectErrorStream(true).start();
            assertThat(signal.waitFor(), is(0));
            long start = System.nanoTime();
            Awaits.until(() -> hasGateway(other) && !hasGateway(current), Duration.ofSeconds(9),
                         "the gateway to move to the other server (before the 10 s grace period ends)");
            System.out.printf("moved off the lame-duck server in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            Awaits.natsConnected(gateway);
            assertThat(http.post("/quest/generate", "{}").statusCode(), is(200));
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
