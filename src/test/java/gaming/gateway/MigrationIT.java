package gaming.gateway;

import ai.llm.v1.CancelResponse;
import ai.model.v1.GetModelResponse;
import ai.model.v1.Model;
import ai.model.v1.SelectModelResponse;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.LegacyServer;
import gaming.testing.MigrationFixture;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import state.manager.v1.GetStateRequest;
import state.manager.v1.GetStateResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Routes in migration against a legacy HTTP service (a small server in the test) and the NATS
 * service behind one gateway: legacy proxying, the sticky split, fallback, shadow comparison with
 * noise, the marker headers and the admin port's access rules.
 */
class MigrationIT {
    private static NatsServer nats;
    private static Connection service;
    private static LegacyServer legacy;
    private static Gateway gateway;
    private static Http http;
    private static final LinkedBlockingQueue<Message> stateRequests = new LinkedBlockingQueue<>();
    private static final AtomicBoolean slowAnswered = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServer.start();
        service = Nats.connect(nats.url());
        legacy = LegacyServer.start();
        gateway = MigrationFixture.start(nats.url(), legacy.url(), Map.of());
        http = new Http(gateway.port());
        // the NATS state service: one virtual thread per request, so that a slow answer holds no other
        Dispatcher d = service.createDispatcher(msg -> Thread.startVirtualThread(() -> answerState(msg)));
        d.subscribe("svc.state.manager.v1.get");
        service.flush(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {gateway, legacy, service, nats}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static void answerState(Message msg) {
        stateRequests.add(msg);
        try {
            String key = GetStateRequest.parseFrom(msg.getData()).getKey();
            if (key.equals("slow")) {
                Thread.sleep(5000);
                slowAnswered.set(true);
            }
            Struct state = Struct.newBuilder()
                    .putFields("a", Value.newBuilder().setNumberValue(1).build())
                    .putFields("served_by", Value.newBuilder().setStringValue("nats").build())
                    .putFields("ts", Value.newBuilder().setNumberValue(0).build())
                    .build();
            GetStateResponse reply = GetStateResponse.newBuilder().setKey(key).setState(state)
                    .setVersion(key.equals("diff") ? 11 : 10).build();
            service.publish(msg.getReplyTo(), reply.toByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The legacy state service: like NATS's, but with its own {@code served_by}, a timestamp for key {@code noisy}. */
    private static void legacyState() {
        LegacyServer.Handler state = (r, ex) -> {
            String key = JsonParser.parseString(r.body()).getAsJsonObject().get("key").getAsString();
            String ts = key.equals("noisy") ? String.valueOf(System.nanoTime()) : "0";
            LegacyServer.send(ex, 200, "application/json",
                              "{\"key\":\"" + key + "\",\"state\":{\"a\":1,\"served_by\":\"legacy\",\"ts\":" + ts + "},\"version\":10}");
        };
        legacy.on("/state/get", state).on("/state/peek", state);
    }

    @Test
    void legacyModeAnswersAsTheLegacyServiceAndPassesIdentityTraceAndIdempotency() throws Exception {
        legacy.on("/quest/generate", (r, ex) -> {
            ex.getResponseHeaders().set("X-Legacy-Version", "7");
            LegacyServer.send(ex, 201, "application/json; charset=utf-8",
                              "{\"quest\":{\"title\":\"From legacy\",\"recommended_level\":3},\"echo\":" + r.body() + "}");
        });
        legacy.drain("/quest/generate");
        String body = "{\"region\":\"north\"}";
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> direct = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(legacy.url() + "/quest/generate?region=north%20east"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        legacy.next("/quest/generate");

        HttpResponse<String> via = http.post("/quest/generate?region=north%20east", body,
                                             "X-User-ID", "u-1", "X-Tenant-ID", "t-1", "traceparent", traceparent,
                                             "Idempotency-Key", "idem-1", "X-Custom-Color", "blue");
        assertThat(via.statusCode(), is(direct.statusCode()));
        assertThat(via.statusCode(), is(201));
        assertThat(via.body(), is(direct.body()));
        assertThat(via.headers().firstValue("Content-Type").orElseThrow(), is("application/json; charset=utf-8"));
        assertThat(via.headers().firstValue("X-Legacy-Version").orElseThrow(), is("7"));

        LegacyServer.Received got = legacy.next("/quest/generate");
        assertThat(got.method(), is("POST"));
        assertThat(got.target(), is("/quest/generate?region=north%20east"));
        assertThat(got.body(), is(body));
        assertThat(got.header("X-User-ID"), is("u-1"));
        assertThat(got.header("X-Tenant-ID"), is("t-1"));
        assertThat(got.header("Idempotency-Key"), is("idem-1"));
        assertThat(got.header("X-Custom-Color"), is("blue"));
        assertThat(got.header("X-Trace-ID"), is("4bf92f3577b34da6a3ce929d0e0e4736"));
        assertThat(got.header("traceparent").substring(0, 36), is("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
        assertThat(got.header(gaming.gateway.migration.RouteMigration.HTTP_SHADOW_HEADER), nullValue());
    }

    @Test
    void aLegacyEventStreamIsRelayedAsItArrives() throws Exception {
        legacyStreamArrivesAsItIsProduced();
    }

    @Test
    void inSplitALegacyEventStreamIsRelayedAsItArrives() throws Exception {
        try {
            // percent 0: every user on the legacy side
            assertThat(MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"split\",\"percent\":0}").statusCode(), is(200));
            awaitMode("llm-infer", "split", "legacy");
            int legacyBefore = MigrationFixture.route(gateway, "llm-infer").getAsJsonObject("requests").get("legacy").getAsInt();
            legacyStreamArrivesAsItIsProduced();
            assertThat(MigrationFixture.route(gateway, "llm-infer").getAsJsonObject("requests").get("legacy").getAsInt(),
                       is(legacyBefore + 1));
        } finally {
            MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"legacy\",\"primary\":\"legacy\"}");
            awaitMode("llm-infer", "legacy", "legacy");
        }
    }

    private static void legacyStreamArrivesAsItIsProduced() throws Exception {
        java.util.concurrent.CountDownLatch firstSeen = new java.util.concurrent.CountDownLatch(1);
        AtomicBoolean secondSent = new AtomicBoolean();
        legacy.on("/ai/llm/infer", (r, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            java.io.OutputStream out = ex.getResponseBody();
            out.write("event: chunk\ndata: {\"token\":\"Hel\"}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            try {
                if (!firstSeen.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            secondSent.set(true);
            out.write("event: chunk\ndata: {\"token\":\"lo\",\"is_final\":true}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.close();
        });
        HttpResponse<java.util.stream.Stream<String>> res = HttpClient.newHttpClient().send(
                http.request("/ai/llm/infer").header("Content-Type", "application/json").header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"params\":{\"stream\":true}}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Type").orElseThrow(), is("text/event-stream"));
        List<String> lines = new ArrayList<>();
        var it = res.body().iterator();
        while (it.hasNext()) {
            String line = it.next();
            if (line.startsWith("data:") && lines.stream().noneMatch(l -> l.startsWith("data:"))) {
                assertThat("the first event arrived only after legacy sent its second", secondSent.get(), is(false));
                firstSeen.countDown();
            }
            lines.add(line);
        }
        assertThat(lines, is(List.of("event: chunk", "data: {\"token\":\"Hel\"}", "", "event: chunk",
                                     "data: {\"token\":\"lo\",\"is_final\":true}", "")));
    }

    @Test
    void aClientLeavingALegacyStreamEndsTheLegacyCall() throws Exception {
        java.util.concurrent.CountDownLatch clientGone = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Integer> eventsUntilBroken = new java.util.concurrent.CompletableFuture<>();
        legacy.on("/ai/llm/infer", (r, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            java.io.OutputStream out = ex.getResponseBody();
            byte[] event = "data: {\"token\":\"t\"}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                out.write(event);
                out.flush();
                if (!clientGone.await(10, TimeUnit.SECONDS)) {
                    eventsUntilBroken.complete(-1);
                    return;
                }
                // keep producing, as a generation does, until the gateway hangs up (bounded)
                for (int i = 1; i <= 200; i++) {
                    Thread.sleep(50);
                    out.write(event);
                    out.flush();
                }
                eventsUntilBroken.complete(-1);
            } catch (IOException | InterruptedException broken) {
                eventsUntilBroken.complete(1);
            }
        });
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            String body = "{\"prompt\":\"hi\",\"params\":{\"stream\":true}}";
            socket.getOutputStream().write(("POST /ai/llm/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                                                   .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("\"token\"")) {
                // status line, headers, chunk sizes
            }
            assertThat(line != null, is(true));
        }
        clientGone.countDown();
        assertThat("the legacy service kept streaming to a client that had left", eventsUntilBroken.get(30, TimeUnit.SECONDS), is(1));
    }

    /** A legacy event stream of proto JSON chunks: two deltas, then the final chunk with {@code finish}. */
    private static String legacyStream(String finish) {
        return "data: {\"generation_id\":\"g-legacy\",\"index\":0,\"delta\":{\"output_text_delta\":\"Once upon\"}}\n\n"
                + "data: {\"generation_id\":\"g-legacy\",\"index\":1,\"delta\":{\"output_text_delta\":\" a time\"}}\n\n"
                + "data: {\"generation_id\":\"g-legacy\",\"index\":2,\"is_final\":true,\"finish_reason\":\"" + finish
                + "\",\"usage\":{\"total_tokens\":5}}\n\n";
    }

    @Test
    void shadowOfAStreamComparesTheConcatenatedTextAndTheFinalChunk() throws Exception {
        legacy.on("/ai/llm/infer", (r, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (java.io.OutputStream out = ex.getResponseBody()) {
                out.write(legacyStream("stop").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        // the NATS side cuts the same text into three deltas; for the prompt "long" it ends with "length"
        LinkedBlockingQueue<Message> natsCopies = new LinkedBlockingQueue<>();
        Dispatcher llm = service.createDispatcher(msg -> Thread.startVirtualThread(() -> {
            natsCopies.add(msg);
            try {
                String prompt = ai.llm.v1.InferRequest.parseFrom(msg.getData()).getInput().getPrompt();
                String[] deltas = {"Once", " upon", " a time"};
                for (int i = 0; i < deltas.length; i++) {
                    service.publish(msg.getReplyTo(), ai.llm.v1.InferChunk.newBuilder().setGenerationId("g-nats").setIndex(i)
                            .setDelta(ai.llm.v1.Delta.newBuilder().setOutputTextDelta(deltas[i])).build().toByteArray());
                }
                service.publish(msg.getReplyTo(), ai.llm.v1.InferChunk.newBuilder().setGenerationId("g-nats").setIndex(3)
                        .setIsFinal(true).setFinishReason(prompt.equals("long") ? "length" : "stop")
                        .setUsage(ai.llm.v1.Usage.newBuilder().setTotalTokens(5)).build().toByteArray());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }));
        llm.subscribe("svc.ai.llm.v1.infer");
        service.flush(Duration.ofSeconds(5));
        try {
            assertThat(MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"shadow\",\"primary\":\"legacy\"}").statusCode(), is(200));
            awaitMode("llm-infer", "shadow", "legacy");
            int matches = comparisons("llm-infer", "match");
            int mismatches = comparisons("llm-infer", "mismatch");

            // primary legacy: the client gets legacy's stream as it is; NATS gets a marked streamed copy
            HttpResponse<String> same = streamed("hi");
            assertThat(same.statusCode(), is(200));
            assertThat(same.body(), is(legacyStream("stop")));
            awaitComparisons("llm-infer", "match", matches + 1);
            Message copy = natsCopies.poll(10, TimeUnit.SECONDS);
            assertThat(copy.getHeaders().getFirst("Gateway-Shadow"), is("true"));
            assertThat(ai.llm.v1.InferRequest.parseFrom(copy.getData()).getParams().getStream(), is(true));

            streamed("long");
            awaitComparisons("llm-infer", "mismatch", mismatches + 1);
            JsonObject route = MigrationFixture.route(gateway, "llm-infer");
            JsonArray last = route.getAsJsonArray("last_differences");
            JsonObject d = last.get(last.size() - 1).getAsJsonObject();
            assertThat(d.get("path").getAsString(), is("(final)/finish_reason"));
            assertThat(d.get("legacy").getAsString(), is("stop"));
            assertThat(d.get("nats").getAsString(), is("length"));
            assertThat(comparisons("llm-infer", "match"), is(matches + 1));

            // primary NATS: the client gets the gateway's own stream; legacy gets the marked copy
            assertThat(MigrationFixture.put(gateway, "llm-infer", "{\"primary\":\"nats\"}").statusCode(), is(200));
            awaitMode("llm-infer", "shadow", "nats");
            legacy.drain("/ai/llm/infer");
            HttpResponse<String> fromNats = streamed("hi");
            assertThat(fromNats.body(), org.hamcrest.Matchers.containsString("\"output_text_delta\":\" upon\""));
            awaitComparisons("llm-infer", "match", matches + 2);
            assertThat(legacy.next("/ai/llm/infer").header("X-Gateway-Shadow"), is("1"));
            assertThat(comparisons("llm-infer", "mismatch"), is(mismatches + 1));
        } finally {
            MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"legacy\",\"primary\":\"legacy\"}");
            awaitMode("llm-infer", "legacy", "legacy");
            service.closeDispatcher(llm);
        }
    }

    private static HttpResponse<String> streamed(String prompt) {
        return http.send(http.request("/ai/llm/infer").header("Content-Type", "application/json")
                                 .header("Accept", "text/event-stream")
                                 .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"prompt\":\"" + prompt
                                                                                   + "\"},\"params\":{\"stream\":true}}")).build());
    }

    private static int comparisons(String route, String result) {
        return MigrationFixture.route(gateway, route).getAsJsonObject("comparisons").get(result).getAsInt();
    }

    private static void awaitMode(String route, String mode, String primary) {
        Awaits.until(() -> {
            JsonObject r = MigrationFixture.route(gateway, route);
            return r.get("mode").getAsString().equals(mode) && r.get("primary").getAsString().equals(primary);
        }, Duration.ofSeconds(10), route + " in mode " + mode + " with primary " + primary);
    }

    @Test
    void splitSendsTenPercentOfUsersToNatsAndKeepsEachUserOnOneSide() throws Exception {
        legacy.on("/ai/models/m-1", (r, ex) -> LegacyServer.send(ex, 200, "application/json",
                                                                   "{\"model\":{\"model_id\":\"m-1\",\"name\":\"legacy\"}}"));
        byte[] natsReply = GetModelResponse.newBuilder().setModel(Model.newBuilder().setModelId("m-1").setName("nats")).build()
                .toByteArray();
        Map<String, List<String>> sides = new ConcurrentHashMap<>();
        try (Responder models = Responder.create(service, "svc.ai.model.v1.get", msg -> natsReply);
             ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String user = "user-" + (i % 200);
                all.add(clients.submit(() -> {
                    HttpResponse<String> res = http.post("/ai/models/m-1", "{}", "X-User-ID", user);
                    assertThat(res.body(), res.statusCode(), is(200));
                    String name = JsonParser.parseString(res.body()).getAsJsonObject().getAsJsonObject("model").get("name").getAsString();
                    sides.computeIfAbsent(user, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(name);
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        int toNats = 0;
        for (Map.Entry<String, List<String>> user : sides.entrySet()) {
            assertThat(user.getKey() + " changed sides: " + user.getValue(), user.getValue().stream().distinct().count(), is(1L));
            if (user.getValue().getFirst().equals("nats")) {
                toNats += user.getValue().size();
            }
        }
        System.out.printf("split at 10 %%: %d of 2000 requests (%d users of 200) to NATS%n", toNats, toNats / 10);
        assertThat(sides.size(), is(200));
        assertThat(toNats, allOf(greaterThanOrEqualTo(140), lessThanOrEqualTo(260)));
        JsonObject stats = MigrationFixture.route(gateway, "models-get");
        assertThat(stats.getAsJsonObject("requests").get("nats").getAsInt(), is(toNats));
        assertThat(stats.getAsJsonObject("requests").get("legacy").getAsInt(), is(2000 - toNats));
    }

    @Test
    void withoutNatsRespondersAReadRouteFallsBackToLegacyAndAWriteRouteGets503() {
        legacy.on("/ai/models", (r, ex) -> LegacyServer.send(ex, 200, "application/json", "{\"models\":[],\"from\":\"legacy\"}"));
        legacy.on("/state/update", (r, ex) -> LegacyServer.send(ex, 200, "application/json", "{\"written\":true}"));
        HttpResponse<String> read = http.post("/ai/models", "{}", "X-User-ID", "u-9");
        assertThat(read.statusCode(), is(200));
        assertThat(read.body(), is("{\"models\":[],\"from\":\"legacy\"}"));
        assertThat(MigrationFixture.route(gateway, "models-list").get("fallbacks").getAsInt(), is(1));

        HttpResponse<String> write = http.post("/state/update", "{\"key\":\"k\"}", "X-User-ID", "u-9");
        Problems.assertProblem(write, 503, "NO_RESPONDERS");
        assertThat(legacy.pending("/state/update"), is(0));
        assertThat(MigrationFixture.route(gateway, "state-update").get("fallbacks").getAsInt(), is(0));
    }

    @Test
    void shadowComparesMatchesMismatchesIgnoredFieldsAndNoise() {
        legacyState();
        HttpResponse<String> same = http.post("/state/get", "{\"key\":\"same\"}");
        assertThat(same.body(), is("{\"key\":\"same\",\"state\":{\"a\":1,\"served_by\":\"legacy\",\"ts\":0},\"version\":10}"));
        awaitComparisons("match", 1);
        Message shadowCopy = pollKey("same");
        assertThat(shadowCopy.getHeaders().getFirst("Gateway-Shadow"), is("true"));

        http.post("/state/get", "{\"key\":\"noisy\"}");
        awaitComparisons("noise", 1);
        http.post("/state/get", "{\"key\":\"diff\"}");
        awaitComparisons("mismatch", 1);

        JsonObject route = MigrationFixture.route(gateway, "state-get");
        JsonObject comparisons = route.getAsJsonObject("comparisons");
        assertThat(comparisons.get("match").getAsInt(), is(1));
        assertThat(comparisons.get("noise").getAsInt(), is(1));
        assertThat(comparisons.get("mismatch").getAsInt(), is(1));
        JsonArray last = route.getAsJsonArray("last_differences");
        assertThat(last.size(), is(1));
        JsonObject d = last.get(0).getAsJsonObject();
        assertThat(d.get("path").getAsString(), is("/version"));
        assertThat(d.get("legacy").toString(), is("10"));
        assertThat(d.get("nats").toString(), is("\"11\""));
        assertThat(route.getAsJsonArray("top_differences").toString(), is("[{\"path\":\"/version\",\"count\":1}]"));
        assertThat(route.getAsJsonArray("noise").toString(), is("[{\"path\":\"/state/ts\",\"count\":1}]"));
    }

    @Test
    void aSlowShadowSideDoesNotDelayTheClient() {
        legacyState();
        slowAnswered.set(false);
        HttpResponse<String> res = http.post("/state/peek", "{\"key\":\"slow\"}");
        boolean shadowHadAnswered = slowAnswered.get();
        assertThat(res.statusCode(), is(200));
        assertThat(res.body(), is("{\"key\":\"slow\",\"state\":{\"a\":1,\"served_by\":\"legacy\",\"ts\":0},\"version\":10}"));
        assertThat("the client's answer waited for the shadow side", shadowHadAnswered, is(false));
    }

    @Test
    void aSlowLegacyShadowDoesNotDelayAnswersFromNats() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicBoolean legacyAnswered = new AtomicBoolean();
        legacy.on("/ai/llm/infer", (r, ex) -> {
            try {
                release.await(5, TimeUnit.SECONDS); // the shadow side sleeps 5 s (less once the test is done)
            } catch (InterruptedException e) {
                return;
            }
            legacyAnswered.set(true);
            LegacyServer.send(ex, 200, "application/json", "{\"output_text\":\"late\"}");
        });
        byte[] reply = ai.llm.v1.InferResponse.newBuilder().setOutputText("now").build().toByteArray();
        try (Responder infer = Responder.create(service, "svc.ai.llm.v1.infer", msg -> reply)) {
            assertThat(MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"shadow\",\"primary\":\"nats\"}").statusCode(),
                       is(200));
            awaitMode("llm-infer", "shadow", "nats");
            // more requests than the shadow pool runs at once (16): every answer still comes from NATS
            // before the shadow side has answered even one of them
            for (int i = 0; i < 24; i++) {
                HttpResponse<String> res = http.post("/ai/llm/infer", "{\"input\":{\"prompt\":\"p" + i + "\"}}");
                assertThat(legacyAnswered.get(), is(false));
                assertThat(res.statusCode(), is(200));
                assertThat(res.body(), is("{\"output_text\":\"now\"}"));
            }
        } finally {
            release.countDown();
            MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"legacy\",\"primary\":\"legacy\"}");
            awaitMode("llm-infer", "legacy", "legacy");
        }
    }

    @Test
    void writeRoutesAreShadowedOnlyWithShadowWritesAndCarryTheMarker() throws Exception {
        legacy.on("/ai/llm/cancel", (r, ex) -> LegacyServer.send(ex, 200, "application/json", "{\"cancelled\":true}"));
        legacy.on("/ai/models/m-2/select", (r, ex) -> LegacyServer.send(ex, 200, "application/json", "{\"model_id\":\"m-2\"}"));
        byte[] cancelled = CancelResponse.newBuilder().setCancelled(true).build().toByteArray();
        byte[] selected = SelectModelResponse.newBuilder().setModelId("m-2").build().toByteArray();
        try (Responder cancel = Responder.create(service, "svc.ai.llm.v1.cancel", msg -> cancelled);
             Responder select = Responder.create(service, "svc.ai.model.v1.select", msg -> selected)) {
            HttpResponse<String> c = http.post("/ai/llm/cancel", "{\"generation_id\":\"g\"}");
            assertThat(c.body(), is("{\"cancelled\":true}"));
            assertThat(MigrationFixture.route(gateway, "llm-cancel").getAsJsonObject("comparisons").get("skipped").getAsInt(), is(1));

            HttpResponse<String> s = http.post("/ai/models/m-2/select", "{}", "X-User-ID", "u-2");
            assertThat(s.body(), is("{\"model_id\":\"m-2\"}"));
            assertThat(select.next().getHeaders().getFirst("Gateway-Shadow"), nullValue());
            LegacyServer.Received copy = legacy.next("/ai/models/m-2/select");
            assertThat(copy.header("X-Gateway-Shadow"), is("1"));
            assertThat(copy.header("X-User-ID"), is("u-2"));
            awaitComparisons("models-select", "match", 1);
            // the write route without shadow-writes: legacy answered, NATS never asked
            assertThat(cancel.pending(), is(0));
        }
    }

    @Test
    void rateLimitsApplyBeforeASideIsChosenAndOnlyNatsAnswersAreDeduplicated() throws Exception {
        java.util.concurrent.atomic.AtomicInteger legacyCalls = new java.util.concurrent.atomic.AtomicInteger();
        legacy.on("/guarded/update", (r, ex) -> LegacyServer.send(ex, 200, "application/json",
                                                                  "{\"key\":\"k\",\"version\":" + legacyCalls.incrementAndGet() + "}"));
        String body = "{\"key\":\"k\",\"state\":{}}";
        // legacy mode: the key goes to legacy with each attempt; the gateway replays nothing
        HttpResponse<String> first = http.post("/guarded/update", body, "X-Client-ID", "c-legacy", "Idempotency-Key", "key-1");
        HttpResponse<String> retry = http.post("/guarded/update", body, "X-Client-ID", "c-legacy", "Idempotency-Key", "key-1");
        assertThat(first.body(), is("{\"key\":\"k\",\"version\":1}"));
        assertThat(retry.body(), is("{\"key\":\"k\",\"version\":2}"));
        assertThat(legacy.next("/guarded/update").header("Idempotency-Key"), is("key-1"));
        assertThat(legacy.next("/guarded/update").header("Idempotency-Key"), is("key-1"));
        // the route's rate limit (2 a day per client) comes before the side: the third reaches neither
        Problems.assertProblem(http.post("/guarded/update", body, "X-Client-ID", "c-legacy", "Idempotency-Key", "key-2"),
                               429, "RATE_LIMITED");
        assertThat(legacy.pending("/guarded/update"), is(0));
        assertThat(MigrationFixture.route(gateway, "guarded-update").getAsJsonObject("requests").get("legacy").getAsInt(), is(2));

        // on the NATS side the route's idempotency records answer the retry
        java.util.concurrent.atomic.AtomicInteger natsCalls = new java.util.concurrent.atomic.AtomicInteger();
        try (Responder update = Responder.create(service, "svc.guarded.update", msg -> state.manager.v1.UpdateStateResponse
                .newBuilder().setKey("k").setVersion(100 + natsCalls.incrementAndGet()).build().toByteArray())) {
            assertThat(MigrationFixture.put(gateway, "guarded-update", "{\"mode\":\"split\",\"percent\":100}").statusCode(),
                       is(200));
            awaitMode("guarded-update", "split", "legacy");
            Awaits.until(gateway::idempotencyStoreOpen, Duration.ofSeconds(10), "the idempotency bucket to open");
            HttpResponse<String> onNats = http.post("/guarded/update", body, "X-Client-ID", "c-nats", "Idempotency-Key", "key-3");
            HttpResponse<String> replayed = http.post("/guarded/update", body, "X-Client-ID", "c-nats", "Idempotency-Key", "key-3");
            assertThat(onNats.body(), is("{\"key\":\"k\",\"version\":\"101\"}"));
            assertThat(replayed.body(), is(onNats.body()));
            assertThat(natsCalls.get(), is(1));
            assertThat(legacy.pending("/guarded/update"), is(0));
        } finally {
            MigrationFixture.put(gateway, "guarded-update", "{\"mode\":\"legacy\"}");
        }
    }

    @Test
    void theGatewaysCorsPolicyWinsOverLegacysAndLegacyHeadersPassOtherwise() throws Exception {
        legacy.on("/quest/generate", (r, ex) -> {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().set("X-Legacy-Version", "7");
            LegacyServer.send(ex, 200, "application/json", "{\"quest\":{}}");
        });
        try (Gateway withCors = MigrationFixture.start(nats.url(), legacy.url(),
                                                       Map.of("gateway.cors.allow-origins", "https://app.example"))) {
            HttpResponse<String> res = new Http(withCors.port()).post("/quest/generate", "{}", "Origin", "https://app.example");
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().allValues("Access-Control-Allow-Origin"), is(List.of("https://app.example")));
            assertThat(res.headers().firstValue("X-Legacy-Version").orElseThrow(), is("7"));
        }
        // without a gateway policy for the origin, legacy's own CORS headers pass as they are
        HttpResponse<String> plain = http.post("/quest/generate", "{}", "Origin", "https://app.example");
        assertThat(plain.headers().allValues("Access-Control-Allow-Origin"), is(List.of("*")));
        legacy.drain("/quest/generate");
    }

    @Test
    void aLegacyAnswerCutShortIsA502NotA500() {
        // Content-Length: 1000, 12 bytes, then the connection closes (the JDK server aborts the exchange)
        legacy.on("/quest/generate", (r, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("{\"quest\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            throw new IOException("legacy dies half-way");
        });
        Problems.assertProblem(http.post("/quest/generate", "{}"), 502, "LEGACY_UNAVAILABLE");
        legacy.drain("/quest/generate");
    }

    @Test
    void aLargeLegacyAnswerReachesTheClientAsItArrivesNotReadWholeFirst() throws Exception {
        // legacy sends 2 MiB and holds the last byte until the client has 1 MiB of it: a gateway that
        // reads the whole answer before sending (one buffer per request the size of the answer) never
        // lets that happen, and legacy's read timeout ends the call
        int size = 2 << 20;
        java.util.concurrent.CountDownLatch clientHasSome = new java.util.concurrent.CountDownLatch(1);
        legacy.on("/quest/generate", (r, ex) -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, size);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[size - 1]);
            out.flush();
            try {
                clientHasSome.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write('!');
            out.close();
        });
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(
                http.request("/quest/generate").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Length").orElse(""), is(String.valueOf(size)));
        try (java.io.InputStream in = res.body()) {
            assertThat(in.readNBytes(1 << 20).length, is(1 << 20));
            clientHasSome.countDown();
            byte[] rest = in.readAllBytes();
            assertThat(rest.length, is(size - (1 << 20)));
            assertThat(rest[rest.length - 1], is((byte) '!'));
        }
        legacy.drain("/quest/generate");
    }

    @Test
    void aLegacyShadowAnswerOfOneMebibyteOrMoreIsSkippedNotReadWhole() throws Exception {
        String big = "{\"output_text\":\"" + "x".repeat(2 << 20) + "\"}";
        legacy.on("/ai/llm/infer", (r, ex) -> LegacyServer.send(ex, 200, "application/json", big));
        byte[] reply = ai.llm.v1.InferResponse.newBuilder().setOutputText("now").build().toByteArray();
        try (Responder infer = Responder.create(service, "svc.ai.llm.v1.infer", msg -> reply)) {
            assertThat(MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"shadow\",\"primary\":\"nats\"}").statusCode(),
                       is(200));
            awaitMode("llm-infer", "shadow", "nats");
            JsonObject before = MigrationFixture.route(gateway, "llm-infer").getAsJsonObject("comparisons");
            HttpResponse<String> res = http.post("/ai/llm/infer", "{\"input\":{\"prompt\":\"big\"}}");
            assertThat(res.body(), is("{\"output_text\":\"now\"}"));
            awaitComparisons("llm-infer", "skipped", before.get("skipped").getAsInt() + 1);
            JsonObject after = MigrationFixture.route(gateway, "llm-infer").getAsJsonObject("comparisons");
            assertThat(after.get("mismatch").getAsInt(), is(before.get("mismatch").getAsInt()));
            assertThat(after.get("error").getAsInt(), is(before.get("error").getAsInt()));
        } finally {
            MigrationFixture.put(gateway, "llm-infer", "{\"mode\":\"legacy\",\"primary\":\"legacy\"}");
            awaitMode("llm-infer", "legacy", "legacy");
            legacy.drain("/ai/llm/infer");
        }
    }

    @Test
    void aLegacyStatusOutsideTwoToFiveHundredsIsA502() {
        // RFC 9110 section 15: a status is 100..599, and a final one is not 1xx
        for (int status : new int[] {999, 600}) {
            legacy.on("/quest/generate", (r, ex) -> LegacyServer.send(ex, status, "application/json", "{\"quest\":{}}"));
            Problems.assertProblem(http.post("/quest/generate", "{}"), 502, "LEGACY_UNAVAILABLE");
        }
        legacy.drain("/quest/generate");
    }

    @Test
    void headersThatLegacyNamesInConnectionAreHopByHopAndNotPassedOn() throws Exception {
        legacy.on("/quest/generate", (r, ex) -> {
            ex.getResponseHeaders().set("Connection", "X-Hop-Secret");
            ex.getResponseHeaders().set("X-Hop-Secret", "for the next hop only");
            ex.getResponseHeaders().set("X-Legacy-Version", "7");
            LegacyServer.send(ex, 200, "application/json", "{\"quest\":{}}");
        });
        legacy.drain("/quest/generate");
        HttpResponse<String> res = http.post("/quest/generate", "{}", "X-Custom-Color", "blue");
        assertThat(res.statusCode(), is(200));
        assertThat(res.body(), is("{\"quest\":{}}"));
        assertThat(res.headers().firstValue("X-Legacy-Version").orElseThrow(), is("7"));
        assertThat(res.headers().firstValue("X-Hop-Secret").orElse(null), nullValue());
        legacy.drain("/quest/generate");
    }

    @Test
    void adminNeedsTheTokenOnItsOwnPortAndIsOffWithoutOne() throws Exception {
        Http admin = new Http(gateway.adminPort());
        Problems.assertProblem(admin.get("/admin/migration"), 401, "UNAUTHENTICATED");
        Problems.assertProblem(admin.send(admin.request("/admin/migration").header("Authorization", "Bearer wrong-token-wrong-token").build()),
                               401, "UNAUTHENTICATED");
        assertThat(admin.send(MigrationFixture.admin(gateway, "/admin/migration").GET().build()).statusCode(), is(200));
        Problems.assertProblem(http.send(MigrationFixture.admin(gateway, "/admin/migration").uri(
                URI.create("http://127.0.0.1:" + gateway.port() + "/admin/migration")).GET().build()), 404, "NOT_FOUND");
        try (Gateway plain = TestGateway.start(nats.url())) {
            assertThat(plain.adminPort(), is(-1));
        }
    }

    /** The next request for {@code key} the NATS state service received. */
    private static Message pollKey(String key) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Message m = stateRequests.poll(1, TimeUnit.SECONDS);
                if (m != null && GetStateRequest.parseFrom(m.getData()).getKey().equals(key)) {
                    return m;
                }
            }
            throw new AssertionError("the NATS state service got no request for " + key);
        } catch (InterruptedException | com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitComparisons(String result, int count) {
        awaitComparisons("state-get", result, count);
    }

    private static void awaitComparisons(String route, String result, int count) {
        Awaits.until(() -> MigrationFixture.route(gateway, route).getAsJsonObject("comparisons").get(result).getAsInt() >= count,
                     Duration.ofSeconds(10), route + " to count " + count + " " + result);
    }
}
