package gaming.gateway;

import com.google.gson.JsonObject;
import gaming.testing.AccessLogCapture;
import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * A burst of five times the in-flight cap: the excess gets 503 at once, the rest succeeds, memory
 * returns; the refused requests are in the route's meters and the access log like any other.
 */
class OverloadIT {
    private static final int CAP = 20;
    private static final byte[] QUEST = GenerateQuestResponse.getDefaultInstance().toByteArray();

    @Test
    void burstBeyondTheInFlightCapIsRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (NatsServer nats = NatsServer.start();
             Connection service = Nats.connect(nats.url());
             Gateway gateway = TestGateway.start(nats.url(), Map.of("gateway.max-in-flight", String.valueOf(CAP)));
             Responder quest = Responder.create(service, "svc.quest.v1.generate", heldUntil(release));
             AccessLogCapture log = new AccessLogCapture()) {
            Http http = new Http(gateway.port());
            long heapBefore = usedHeapAfterGc();
            Metrics before = Metrics.scrape(http);

            List<HttpResponse<String>> refused = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResponse<String>>> burst = new ArrayList<>();
                List<Long> starts = new ArrayList<>();
                for (int i = 0; i < 5 * CAP; i++) {
                    starts.add(System.nanoTime());
                    burst.add(clients.submit(() -> http.post("/quest/generate", "{}")));
                }
                // the service holds every accepted request: whatever answers now was refused
                Awaits.until(() -> burst.stream().filter(Future::isDone).count() == 4 * CAP, Duration.ofSeconds(30),
                             "the excess to be refused while the accepted requests wait");
                long refusedMillis = (System.nanoTime() - starts.getLast()) / 1_000_000;
                for (Future<HttpResponse<String>> f : burst) {
                    if (f.isDone()) {
                        refused.add(f.get());
                    }
                }
                release.countDown();
                int ok = 0;
                for (Future<HttpResponse<String>> f : burst) {
                    if (f.get(10, TimeUnit.SECONDS).statusCode() == 200) {
                        ok++;
                    }
                }
                System.out.printf("burst of %d with cap %d: %d ok, %d refused within %d ms%n",
                                  5 * CAP, CAP, ok, refused.size(), refusedMillis);
                assertThat(ok, is(CAP));
                assertThat("refused while the accepted ones are held (generous for a busy machine)", refusedMillis,
                           lessThan(30_000L));
            }
            assertThat(refused.size(), is(4 * CAP));
            for (HttpResponse<String> res : refused) {
                Problems.assertProblem(res, 503, "OVERLOADED");
                assertThat(res.headers().firstValue("Retry-After").isPresent(), is(true));
            }
            Awaits.until(() -> Metrics.scrape(http).delta(before, "gateway_requests_total", "route", "quest-generate")
                    == 5 * CAP, Duration.ofSeconds(10), "every request of the burst recorded");
            Metrics after = Metrics.scrape(http);
            assertThat(after.delta(before, "gateway_request_duration_seconds_count", "route", "quest-generate",
                                   "status", "503"), is(4.0 * CAP));
            assertThat(after.delta(before, "gateway_errors_total", "route", "quest-generate", "code", "OVERLOADED"),
                       is(4.0 * CAP));
            List<JsonObject> lines = log.await(5 * CAP);
            assertThat(lines.stream().filter(l -> l.get("route").getAsString().equals("quest-generate")
                    && l.get("status").getAsInt() == 503 && l.get("error").getAsString().equals("OVERLOADED")).count(),
                       is(4L * CAP));
            assertThat("the cap frees up again", http.get("/health").statusCode(), is(200));
            long heapAfter = usedHeapAfterGc();
            System.out.printf("heap before %d KiB, after the burst %d KiB%n", heapBefore >> 10, heapAfter >> 10);
            assertThat("heap back near its start", heapAfter - heapBefore, lessThan(16L << 20));
        }
    }

    @Test
    void perRouteCapLeavesOtherRoutesAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (NatsServer nats = NatsServer.start();
             Connection service = Nats.connect(nats.url());
             Gateway gateway = TestGateway.start(nats.url(), Map.of(), java.nio.file.Path.of("src/test/resources/test-routes.yaml"));
             Responder capped = Responder.create(service, "test.capped", heldUntil(release));
             Responder slow = Responder.create(service, "test.slow", msg -> QUEST)) {
            Http http = new Http(gateway.port());
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResponse<String>>> held = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    held.add(clients.submit(() -> http.post("/capped", "{}")));
                }
                Awaits.until(() -> held.stream().noneMatch(Future::isDone) && service.getStatistics().getInMsgs() >= 2,
                             Duration.ofSeconds(5), "two requests held by the service");
                Problems.assertProblem(http.post("/capped", "{}"), 503, "OVERLOADED");
                assertThat("another route is not capped", http.post("/slow", "{}").statusCode(), is(200));
                release.countDown();
                for (Future<HttpResponse<String>> f : held) {
                    assertThat(f.get(10, TimeUnit.SECONDS).statusCode(), is(200));
                }
            }
            assertThat("slots are returned", http.post("/capped", "{}").statusCode(), is(200));
        }
    }

    /** A reply held until {@code release} opens (10 s at most): the request stays in flight meanwhile. */
    private static Function<Message, byte[]> heldUntil(CountDownLatch release) {
        return msg -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return QUEST;
        };
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
