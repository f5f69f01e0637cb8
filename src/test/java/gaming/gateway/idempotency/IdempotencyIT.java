package gaming.gateway.idempotency;

import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import common.v1.Error;
import gaming.gateway.Gateway;
import gaming.testing.Awaits;
import gaming.testing.GatewayFixture;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.SseClient;
import gaming.testing.TestGateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import state.manager.v1.UpdateStateRequest;
import state.manager.v1.UpdateStateResponse;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Idempotency against a real nats-server with JetStream and two gateway instances sharing the KV
 * bucket (A and B, in this JVM; one test adds a third as a {@code java -jar} process), with test
 * services that count their calls.
 */
class IdempotencyIT {
    private static final Path ROUTES = Path.of("src/test/resources/idempotency-routes.yaml");
    private static final String UPDATE = "{\"key\":\"player:1:inventory\",\"state\":{\"gold\":10,\"items\":[\"sword\"]},"
            + "\"expected_version\":0}";

    private static final Map<String, String> SHARED = Map.of("gateway.idempotency.bucket", "it_shared",
                                                             "gateway.nats.timeout-seconds", "3");

    /** nats-server with JetStream, the services' connection and gateway A. */
    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(SHARED, ROUTES);

    private static NatsServer nats;
    private static Connection service;
    private static Gateway a;
    private static Gateway b;
    private static Http httpA;
    private static Http httpB;

    @BeforeAll
    static void start() {
        nats = fx.nats();
        service = fx.service();
        a = fx.gateway();
        b = fx.another(SHARED, ROUTES);
        httpA = fx.http();
        httpB = new Http(b.port());
    }

    /** A state-update service: answers with version = its call count, the request's meta echoed (so each answer differs). */
    private static Function<Message, byte[]> counting(AtomicInteger calls, long delayMillis) {
        return msg -> {
            int n = calls.incrementAndGet();
            sleep(delayMillis);
            UpdateStateRequest request = parse(msg);
            return UpdateStateResponse.newBuilder().setMeta(request.getMeta()).setKey(request.getKey()).setVersion(n)
                    .build().toByteArray();
        };
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void replayIsByteIdenticalFromTheOtherInstanceAndTheServiceIsCalledOnce() {
        AtomicInteger calls = new AtomicInteger();
        try (Responder ignored = Responder.create(service, "svc.state.manager.v1.update", counting(calls, 0))) {
            String key = key();
            Metrics before = Metrics.scrape(httpA);
            HttpResponse<String> first = httpA.post("/state/update", UPDATE, "Idempotency-Key", key, "X-Tenant-ID", "acme");
            assertThat(first.body(), first.statusCode(), is(200));
            assertThat(first.headers().firstValue("Idempotent-Replayed").isPresent(), is(false));

            HttpResponse<String> again = httpB.post("/state/update", UPDATE, "Idempotency-Key", key, "X-Tenant-ID", "acme");
            assertThat(again.statusCode(), is(200));
            assertThat(again.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(again.headers().firstValue("Content-Type").orElse(""), is("application/json"));
            assertThat(again.body(), is(first.body()));

            // field order, lowerCamelCase names, number form, trace and label headers: the same request
            String reordered = "{\"expectedVersion\":0.0, \"state\":{\"items\":[\"sword\"],\"gold\":10},\"key\":\"player:1:inventory\"}";
            HttpResponse<String> same = httpA.post("/state/update", reordered, "Idempotency-Key", "\"" + key + "\"",
                                                   "X-Tenant-ID", "acme", "X-Trace-ID", "other-trace", "X-Custom-Shard", "7");
            assertThat(same.statusCode(), is(200));
            assertThat(same.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(same.body(), is(first.body()));
            assertThat(calls.get(), is(1));

            // another payload under the same key: 422, and still one call
            Problems.assertProblem(httpB.post("/state/update", UPDATE.replace("10", "11"), "Idempotency-Key", key,
                                              "X-Tenant-ID", "acme"), 422, "IDEMPOTENCY_KEY_MISMATCH");
            // the same key of another tenant is another record
            HttpResponse<String> otherTenant = httpB.post("/state/update", UPDATE, "Idempotency-Key", key, "X-Tenant-ID", "other");
            assertThat(otherTenant.statusCode(), is(200));
            assertThat(otherTenant.headers().firstValue("Idempotent-Replayed").isPresent(), is(false));
            assertThat(calls.get(), is(2));

            Metrics after = Metrics.scrape(httpA);
            assertThat(delta(before, after, "gateway_idempotency_replays_total", "state-update"), is(2.0));
            assertThat(delta(before, after, "gateway_idempotency_mismatches_total", "state-update"), is(1.0));
        }
    }

    @Test
    void aServiceSetStatusAndItsHeadersAreReplayedAsSent() {
        AtomicInteger calls = new AtomicInteger();
        io.nats.client.impl.Headers created = new io.nats.client.impl.Headers()
                .put("Http-Status", "201").put("Location", "/state/player:1").put("X-Quota-Remaining", "9")
                .put("X-Internal-Shard", "eu-7");
        try (Responder ignored = Responder.create(service, "test.idem.created", counting(calls, 0), msg -> created)) {
            String key = key();
            HttpResponse<String> first = httpA.post("/created", UPDATE, "Idempotency-Key", key);
            assertThat(first.body(), first.statusCode(), is(201));

            HttpResponse<String> again = httpB.post("/created", UPDATE, "Idempotency-Key", key);
            assertThat(again.statusCode(), is(201));
            assertThat(again.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(again.headers().allValues("Location"), is(List.of("/state/player:1")));
            assertThat(again.headers().allValues("X-Quota-Remaining"), is(List.of("9")));
            assertThat(again.headers().firstValue("X-Internal-Shard").isPresent(), is(false));
            assertThat(again.headers().allValues("Content-Type"), is(List.of("application/json")));
            assertThat(again.body(), is(first.body()));
            assertThat(calls.get(), is(1));
        }
    }

    @Test
    void twentyConcurrentRequestsOverBothInstancesReachTheServiceOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Responder ignored = Responder.create(service, "svc.state.manager.v1.update", counting(calls, 500))) {
            String key = key();
            Metrics before = Metrics.scrape(httpA);
            List<HttpResponse<String>> responses = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Http http = i % 2 == 0 ? httpA : httpB;
                    futures.add(clients.submit(() -> http.post("/state/update", UPDATE, "Idempotency-Key", key)));
                }
                for (Future<HttpResponse<String>> f : futures) {
                    responses.add(f.get());
                }
            }
            assertThat(calls.get(), is(1));
            List<HttpResponse<String>> fresh = responses.stream()
                    .filter(r -> r.statusCode() == 200 && r.headers().firstValue("Idempotent-Replayed").isEmpty()).toList();
            assertThat(fresh.size(), is(1));
            int conflicts = 0;
            for (HttpResponse<String> r : responses) {
                if (r.statusCode() == 409) {
                    Problems.assertProblem(r, 409, "IDEMPOTENCY_KEY_IN_USE");
                    assertThat(r.headers().firstValue("Retry-After").orElse(""), is("1"));
                    conflicts++;
                } else if (r != fresh.getFirst()) {
                    assertThat(r.statusCode(), is(200));
                    assertThat(r.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
                    assertThat(r.body(), is(fresh.getFirst().body()));
                }
            }
            System.out.println("20 concurrent requests, one key: 1 reached the service, " + conflicts + " got 409, "
                                       + (19 - conflicts) + " the replay");
            Metrics after = Metrics.scrape(httpA);
            assertThat(delta(before, after, "gateway_idempotency_conflicts_total", "state-update"), is((double) conflicts));
            HttpResponse<String> later = httpB.post("/state/update", UPDATE, "Idempotency-Key", key);
            assertThat(later.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(later.body(), is(fresh.getFirst().body()));
            assertThat(calls.get(), is(1));
        }
    }

    @Test
    void serviceFourHundredsAreStoredFiveHundredsAndGatewayErrorsAreNot() {
        AtomicInteger calls = new AtomicInteger();
        Function<Message, byte[]> failing = msg -> {
            calls.incrementAndGet();
            Error.Code code = parse(msg).getKey().equals("cas") ? Error.Code.FAILED_PRECONDITION : Error.Code.INTERNAL;
            return UpdateStateResponse.newBuilder().setError(Error.newBuilder().setCode(code).setMessage("no"))
                    .build().toByteArray();
        };
        try (Responder ignored = Responder.create(service, "test.idem.required", failing)) {
            String key = key();
            HttpResponse<String> first = httpA.post("/required", "{\"key\":\"cas\"}", "Idempotency-Key", key);
            Problems.assertProblem(first, 412, "FAILED_PRECONDITION");
            HttpResponse<String> again = httpB.post("/required", "{\"key\":\"cas\"}", "Idempotency-Key", key);
            assertThat(again.statusCode(), is(412));
            assertThat(again.headers().firstValue("Content-Type").orElse(""), is("application/problem+json"));
            assertThat(again.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(again.body(), is(first.body()));
            assertThat(calls.get(), is(1));

            String other = key();
            Problems.assertProblem(httpA.post("/required", "{\"key\":\"boom\"}", "Idempotency-Key", other), 500, "INTERNAL");
            HttpResponse<String> retried = httpB.post("/required", "{\"key\":\"boom\"}", "Idempotency-Key", other);
            Problems.assertProblem(retried, 500, "INTERNAL");
            assertThat(retried.headers().firstValue("Idempotent-Replayed").isPresent(), is(false));
            assertThat(calls.get(), is(3));
        }
        AtomicInteger held = new AtomicInteger();
        try (Responder ignored = Responder.create(service, "test.idem.short", msg -> held.incrementAndGet() == 1 ? null
                : UpdateStateResponse.newBuilder().setVersion(2).build().toByteArray())) {
            String key = key();
            Problems.assertProblem(httpA.post("/short", "{\"key\":\"k\"}", "Idempotency-Key", key), 504, "TIMEOUT");
            HttpResponse<String> retry = httpB.post("/short", "{\"key\":\"k\"}", "Idempotency-Key", key);
            assertThat(retry.body(), retry.statusCode(), is(200));
            assertThat(retry.headers().firstValue("Idempotent-Replayed").isPresent(), is(false));
            assertThat(held.get(), is(2));
        }
    }

    @Test
    void missingAndMalformedKeysAre400AndAnUnkeyedRequestIsForwarded() {
        AtomicInteger calls = new AtomicInteger();
        try (Responder required = Responder.create(service, "test.idem.required", counting(calls, 0));
             Responder update = Responder.create(service, "svc.state.manager.v1.update", counting(calls, 0))) {
            Problems.assertProblem(httpA.post("/required", "{\"key\":\"k\"}"), 400, "IDEMPOTENCY_KEY_MISSING");
            Problems.assertProblem(httpA.post("/required", "{\"key\":\"k\"}", "Idempotency-Key", "x".repeat(256)),
                                   400, "INVALID_ARGUMENT");
            Problems.assertProblem(httpA.post("/required", "{\"key\":\"k\"}", "Idempotency-Key", "a b"), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(httpA.post("/required", "{\"key\":\"k\"}", "Idempotency-Key", "\"open"), 400, "INVALID_ARGUMENT");
            assertThat(calls.get(), is(0));

            String key = "k".repeat(255);
            assertThat(httpA.post("/required", "{\"key\":\"k\"}", "Idempotency-Key", key).statusCode(), is(200));
            assertThat(calls.get(), is(1));

            // enforce without idempotency-required: a request without a key goes to the service every time
            assertThat(httpA.post("/state/update", UPDATE).statusCode(), is(200));
            assertThat(httpB.post("/state/update", UPDATE).statusCode(), is(200));
            assertThat(calls.get(), is(3));
            assertThat(update.pending(), is(2));
            assertThat(required.pending(), is(1));
        }
    }

    @Test
    void offRoutesDoNotForwardTheKeyAndEnforceRoutesDo() throws Exception {
        try (Responder off = Responder.create(service, "test.idem.off", msg -> new byte[0]);
             Responder update = Responder.create(service, "svc.state.manager.v1.update", counting(new AtomicInteger(), 0))) {
            assertThat(httpA.post("/off", "{}", "Idempotency-Key", "k1").statusCode(), is(200));
            Message sent = off.next();
            assertThat(parse(sent).getMeta().getIdempotencyKey(), is(""));
            assertThat(sent.getHeaders() == null || sent.getHeaders().get("Idempotency-Key") == null, is(true));

            String key = key();
            assertThat(httpA.post("/state/update", UPDATE, "Idempotency-Key", key).statusCode(), is(200));
            Message enforced = update.next();
            assertThat(parse(enforced).getMeta().getIdempotencyKey(), is(key));
            assertThat(enforced.getHeaders().getFirst("Idempotency-Key"), is(key));
        }
    }

    @Test
    void streamingRequestsOnAnEnforceRouteOnlyForwardTheKey() throws Exception {
        byte[] last = InferChunk.newBuilder().setIsFinal(true).setFinishReason("stop").build().toByteArray();
        byte[] reply = InferResponse.newBuilder().setOutputText("x").build().toByteArray();
        try (Responder llm = Responder.create(service, "test.idem.llm",
                                              msg -> msg.getData().length > 0 && isStream(msg) ? last : reply)) {
            String key = key();
            for (int i = 0; i < 2; i++) {
                try (SseClient stream = SseClient.post(a.port(), "/llm", "{\"params\":{\"stream\":true}}",
                                                       "Idempotency-Key", key)) {
                    assertThat(stream.status(), is(200));
                    assertThat(stream.rest().getLast().data(), containsString("\"is_final\":true"));
                }
                Message sent = llm.next();
                assertThat(sent.getHeaders().getFirst("Idempotency-Key"), is(key));
            }
            // the same key on the route's request/reply form is deduplicated
            assertThat(httpA.post("/llm", "{}", "Idempotency-Key", key).statusCode(), is(200));
            HttpResponse<String> again = httpB.post("/llm", "{}", "Idempotency-Key", key);
            assertThat(again.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            llm.next();
            assertThat(llm.pending(), is(0));
        }
    }

    private static boolean isStream(Message msg) {
        try {
            return InferRequest.parseFrom(msg.getData()).getParams().getStream();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recordsExpireWithTheBucketsMaxAge() {
        AtomicInteger calls = new AtomicInteger();
        Map<String, String> shortLived = Map.of("gateway.idempotency.bucket", "it_expiry",
                                                "gateway.idempotency.max-age-millis", "4000",
                                                "gateway.idempotency.lock-margin-millis", "0",
                                                "gateway.nats.timeout-seconds", "1");
        try (Gateway c = TestGateway.start(nats.url(), shortLived, ROUTES);
             Responder ignored = Responder.create(service, "svc.state.manager.v1.update", counting(calls, 0))) {
            Http http = new Http(c.port());
            String key = key();
            HttpResponse<String> first = http.post("/state/update", UPDATE, "Idempotency-Key", key);
            assertThat(first.statusCode(), is(200));
            HttpResponse<String> replay = http.post("/state/update", UPDATE, "Idempotency-Key", key);
            assertThat(replay.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            long waited = Awaits.until(() -> http.post("/state/update", UPDATE, "Idempotency-Key", key)
                    .headers().firstValue("Idempotent-Replayed").isEmpty(), Duration.ofSeconds(30), "the record to expire");
            System.out.println("record with max age 4 s gone after about " + waited + " ms more");
            assertThat(calls.get(), is(2));
        }
    }

    @Test
    void aKilledGatewaysKeyAnswers409UntilLockedUntilThenTheNextRequestProceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<Message, byte[]> holdFirst = msg -> {
            int n = calls.incrementAndGet();
            return n == 1 ? null : UpdateStateResponse.newBuilder().setKey(parse(msg).getKey()).setVersion(n).build().toByteArray();
        };
        Path log = Files.createTempFile("gateway-kill", ".log");
        int port = NatsServer.freePort();
        // the same route and bucket as A and B, from the jar's own application.yaml; locked for 6 s timeout + 1 s margin
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgateway.idempotency.bucket=it_shared", "-Dgateway.idempotency.lock-margin-millis=1000",
                "-jar", "target/http-nats-gateway.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1", "NATS_URL", nats.url(),
                                            "NATS_TIMEOUT_SECONDS", "6", "ACCESS_LOG", "false"));
        Process jar = builder.start();
        try (Responder ignored = Responder.create(service, "svc.state.manager.v1.update", holdFirst);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Http httpJar = new Http(port);
            Awaits.until(() -> healthy(httpJar, jar), Duration.ofSeconds(30), "the jar gateway to be healthy");
            Metrics before = Metrics.scrape(httpA);
            String key = key();
            long start = System.nanoTime();
            Future<Integer> lost = clients.submit(() -> {
                try {
                    return httpJar.post("/state/update", UPDATE, "Idempotency-Key", key).statusCode();
                } catch (RuntimeException e) {
                    return -1;
                }
            });
            Awaits.until(() -> calls.get() == 1, Duration.ofSeconds(10), "the service to hold the first request");
            jar.destroyForcibly(); // SIGKILL: the record stays in flight
            jar.waitFor();
            assertThat(lost.get(), is(-1));

            HttpResponse<String> conflict = httpA.post("/state/update", UPDATE, "Idempotency-Key", key);
            Problems.assertProblem(conflict, 409, "IDEMPOTENCY_KEY_IN_USE");
            assertThat(conflict.headers().firstValue("Retry-After").orElse(""), is("1"));
            assertThat(calls.get(), is(1));

            List<HttpResponse<String>> last = new ArrayList<>();
            Awaits.until(() -> {
                HttpResponse<String> r = httpB.post("/state/update", UPDATE, "Idempotency-Key", key);
                last.add(r);
                return r.statusCode() != 409;
            }, Duration.ofSeconds(30), "the lock to pass its locked-until time");
            long tookOverMillis = (System.nanoTime() - start) / 1_000_000;
            HttpResponse<String> proceeded = last.getLast();
            assertThat(proceeded.body(), proceeded.statusCode(), is(200));
            assertThat(proceeded.headers().firstValue("Idempotent-Replayed").isPresent(), is(false));
            assertThat(calls.get(), is(2));
            // locked until = the killed gateway's start of the request + 6 s timeout + 1 s margin
            assertThat(tookOverMillis, greaterThanOrEqualTo(7000L));
            System.out.println("killed gateway's key: 409 until taken over after " + tookOverMillis + " ms");

            HttpResponse<String> replay = httpA.post("/state/update", UPDATE, "Idempotency-Key", key);
            assertThat(replay.headers().firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(replay.body(), is(proceeded.body()));
            Metrics after = Metrics.scrape(httpA);
            assertThat(delta(before, after, "gateway_idempotency_lock_takeovers_total", "state-update"), is(1.0));
        } finally {
            jar.destroyForcibly();
        }
    }

    @Test
    void withoutJetStreamEnforceRoutesAnswer503AtOnceAndForwardRoutesWork() throws Exception {
        try (NatsServer own = NatsServer.start();
             Connection services = Nats.connect(own.url());
             Gateway g = TestGateway.start(own.url(), Map.of("gateway.idempotency.bucket", "it_nojs"), ROUTES);
             Responder update = Responder.create(services, "svc.state.manager.v1.update", counting(new AtomicInteger(), 0));
             Responder open = Responder.create(services, "test.idem.open", counting(new AtomicInteger(), 0));
             Responder get = Responder.create(services, "svc.state.manager.v1.get", msg -> new byte[0])) {
            Http http = new Http(g.port());
            assertThat(http.post("/state/update", UPDATE, "Idempotency-Key", key()).statusCode(), is(200));

            own.restartWithoutJetStream();
            Awaits.until(() -> http.post("/state/get", "{\"key\":\"k\"}").statusCode() == 200, Duration.ofSeconds(30),
                         "gateway and services to reconnect");
            Metrics before = Metrics.scrape(http);
            long start = System.nanoTime();
            HttpResponse<String> refused = http.post("/state/update", UPDATE, "Idempotency-Key", key());
            long millis = (System.nanoTime() - start) / 1_000_000;
            Problems.assertProblem(refused, 503, "IDEMPOTENCY_STORE_UNAVAILABLE");
            assertThat(refused.headers().firstValue("Retry-After").orElse(""), is("1"));
            System.out.println("enforce route without JetStream: 503 in " + millis + " ms");
            Problems.assertProblem(http.post("/state/update", UPDATE, "Idempotency-Key", key()), 503,
                                   "IDEMPOTENCY_STORE_UNAVAILABLE");

            // forward routes, enforce routes without a key, and a fail-open route still work
            assertThat(http.post("/state/get", "{\"key\":\"k\"}").statusCode(), is(200));
            assertThat(http.post("/state/update", UPDATE).statusCode(), is(200));
            assertThat(http.post("/open", UPDATE, "Idempotency-Key", key()).statusCode(), is(200));
            Metrics after = Metrics.scrape(http);
            assertThat(delta(before, after, "gateway_idempotency_fail_open_total", "open"), is(1.0));
            assertThat(delta(before, after, "gateway_idempotency_store_failures_total", "state-update"), is(2.0));
            assertThat(update.pending(), is(2));
            assertThat(open.pending(), is(1));
        }
    }

    @Test
    void aDeletedBucketIsCreatedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Gateway g = TestGateway.start(nats.url(), Map.of("gateway.idempotency.bucket", "it_deleted"), ROUTES);
             Responder ignored = Responder.create(service, "svc.state.manager.v1.update", counting(calls, 0))) {
            Http http = new Http(g.port());
            assertThat(http.post("/state/update", UPDATE, "Idempotency-Key", key()).statusCode(), is(200));
            service.keyValueManagement().delete("it_deleted");
            // the first request finds the bucket gone (its state unknown to the gateway: 503), the next creates it
            Problems.assertProblem(http.post("/state/update", UPDATE, "Idempotency-Key", key()), 503,
                                   "IDEMPOTENCY_STORE_UNAVAILABLE");
            String key = key();
            assertThat(http.post("/state/update", UPDATE, "Idempotency-Key", key).statusCode(), is(200));
            assertThat(http.post("/state/update", UPDATE, "Idempotency-Key", key).headers()
                               .firstValue("Idempotent-Replayed").orElse(""), is("true"));
            assertThat(service.keyValueManagement().getBucketNames().contains("it_deleted"), is(true));
            assertThat(calls.get(), is(2));
        }
    }

    private static boolean healthy(Http http, Process jar) {
        if (!jar.isAlive()) {
            throw new AssertionError("the jar gateway exited");
        }
        try {
            return http.get("/health").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static double delta(Metrics before, Metrics after, String name, String route) {
        return after.value(name, "route", route) - before.value(name, "route", route);
    }

    private static UpdateStateRequest parse(Message msg) {
        try {
            return UpdateStateRequest.parseFrom(msg.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
