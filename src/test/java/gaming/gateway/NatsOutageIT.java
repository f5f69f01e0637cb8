package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The gateway starts and answers while NATS is down, and recovers when NATS comes up, without a restart. */
class NatsOutageIT {
    @Test
    void startsWithNatsDownAndRecovers() throws Exception {
        try (NatsServer nats = NatsServer.notStarted(); Gateway gateway = TestGateway.start(nats.url())) {
            Http http = new Http(gateway.port());
            HttpResponse<String> health = http.get("/health");
            assertThat(health.statusCode(), is(503));
            assertThat(health.body(), is("{\"status\":\"unhealthy\",\"nats_connected\":false,\"routes\":9}"));
            assertThat(http.get("/observe/health/ready").statusCode(), is(503));
            assertThat(http.get("/observe/health/live").statusCode(), is(200));
            long start = System.nanoTime();
            Problems.assertProblem(http.post("/quest/generate", "{}"), 503, "NATS_UNAVAILABLE");
            assertThat("at once, not after the 30 s timeout", (System.nanoTime() - start) / 1_000_000, lessThan(10_000L));

            nats.restart();
            Awaits.until(() -> http.get("/health").statusCode() == 200, Duration.ofSeconds(15), "/health to turn 200");
            assertThat(http.get("/health").body(), is("{\"status\":\"healthy\",\"nats_connected\":true,\"routes\":9}"));
            assertThat(http.get("/observe/health/ready").statusCode(), is(200));
            try (Connection service = Nats.connect(nats.url());
                 Responder svc = Responder.create(service, "svc.quest.v1.generate",
                                                  msg -> GenerateQuestResponse.getDefaultInstance().toByteArray())) {
                assertThat(http.post("/quest/generate", "{}").statusCode(), is(200));
                svc.next();
            }

            nats.stop();
            Awaits.until(() -> http.get("/health").statusCode() == 503, Duration.ofSeconds(15), "/health to turn 503");
            Problems.assertProblem(http.post("/quest/generate", "{}"), 503, "NATS_UNAVAILABLE");
        }
    }
}
