package gaming.gateway;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.Delta;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Usage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import common.v1.Error;
import gaming.testing.Awaits;
import gaming.testing.GatewayFixture;
import gaming.testing.NatsMonitor;
import gaming.testing.Problems;
import gaming.testing.SseClient;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * SSE streaming over real HTTP (a raw-socket client that parses the event stream) and a real
 * nats-server, against a test service whose behaviour each test picks through the prompt.
 */
class StreamingIT {
    private static StreamingService service;

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of("gateway.stream.keep-alive-millis", "300"),
                                                       Path.of("src/test/resources/test-routes.yaml"));

    @BeforeAll
    static void startService() throws Exception {
        service = new StreamingService(fx.service());
    }

    @Test
    void tokensArriveInOrderAndTheFirstBeforeTheServiceSendsTheSecond() {
        try (SseClient client = open("count:5:200")) {
            assertThat(client.status(), is(200));
            assertThat(client.header("Content-Type"), containsString("text/event-stream"));
            assertThat(client.header("X-Trace-ID"), notNullValue());
            SseClient.Event first = client.next();
            long firstArrived = System.nanoTime();
            List<SseClient.Event> events = new ArrayList<>(List.of(first));
            events.addAll(client.rest());
            assertThat(events.size(), is(6));
            for (int i = 0; i < events.size(); i++) {
                InferChunk chunk = chunk(events.get(i));
                assertThat(events.get(i).id(), is(String.valueOf(i)));
                assertThat(chunk.getIndex(), is(i));
                assertThat(chunk.getIsFinal(), is(i == 5));
            }
            InferChunk last = chunk(events.getLast());
            assertThat(last.getUsage().getCompletionTokens(), is(5));
            assertThat(last.getFinishReason(), is("stop"));
            assertThat(events.get(0).data(), containsString("\"is_final\":false"));
            String generationId = chunk(first).getGenerationId();
            Long secondSent = service.sentAt.get(generationId + "#1");
            assertThat("second chunk sent", secondSent, notNullValue());
            assertThat("first event arrived before the second token was sent", firstArrived, lessThan(secondSent));
        }
    }

    @Test
    void clientThatLeavesIsUnsubscribedAndTheServiceCancelledWithinASecond() throws Exception {
        String inbox;
        String generationId;
        try (SseClient client = open("count:200:50")) {
            generationId = chunk(client.next()).getGenerationId();
            inbox = service.replySubjects.get(generationId);
        }
        long closed = System.nanoTime();
        CancelRequest cancel = service.awaitCancel(generationId, Duration.ofSeconds(10));
        assertThat("cancel received (long before the 30 s idle timeout)", cancel, notNullValue());
        assertThat(cancel.getMeta().getTraceId().isEmpty(), is(false));
        Awaits.until(() -> !gatewaySubscriptions().contains(inbox), Duration.ofSeconds(10), "the stream's subscription to go");
        assertThat("long before the 30 s idle timeout", (System.nanoTime() - closed) / 1_000_000, lessThan(10_000L));
        Awaits.until(() -> fx.gateway().activeStreams() == 0, Duration.ofSeconds(10), "no active stream");
        long sentBefore = service.sent(generationId);
        Thread.sleep(200);
        assertThat("the service stopped generating", service.sent(generationId), is(sentBefore));
    }

    @Test
    void slowReaderIsCutOffWithBoundedMemoryWhileAnotherStreamRunsAtFullSpeed() throws Exception {
        long heapBefore = usedHeapAfterGc();
        try (SseClient slow = open("big:100000:1024")) {
            String generationId = chunk(slow.next()).getGenerationId();
            // stop reading while the service sends 100,000 chunks of 1 KiB (100 MiB)
            long start = System.nanoTime();
            try (SseClient normal = open("count:300:0")) {
                List<SseClient.Event> events = new ArrayList<>();
                for (SseClient.Event e = normal.next(); e != null; e = normal.next()) {
                    events.add(e);
                }
                assertThat(events.size(), is(301));
                assertThat(chunk(events.getLast()).getIsFinal(), is(true));
            }
            System.out.printf("normal stream of 301 events beside the slow one: %d ms%n",
                              (System.nanoTime() - start) / 1_000_000);
            Awaits.until(() -> service.finished.contains(generationId), Duration.ofSeconds(60),
                         "the service to stop sending");
            long heapDuring = usedHeapAfterGc();
            System.out.printf("heap: before %d MiB, while the slow stream is stuck %d MiB%n",
                              heapBefore >> 20, heapDuring >> 20);
            assertThat("heap grew by less than 48 MiB", heapDuring - heapBefore, lessThan(48L << 20));

            List<SseClient.Event> rest = slow.rest();
            SseClient.Event last = rest.getLast();
            assertThat(last.isError(), is(true));
            Struct problem = Problems.parse(last.data());
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("RESOURCE_EXHAUSTED"));
            assertThat("chunks delivered before the cut", rest.size(), lessThan(100_000));
            assertThat(service.awaitCancel(generationId, Duration.ofSeconds(5)), notNullValue());
        }
    }

    @Test
    void noRespondersIsA503ProblemNotAnEmptyStream() {
        // the repo's route table: nothing listens on svc.ai.llm.v1.infer here
        try (Gateway other = TestGateway.start(fx.nats().url(), Map.of(), Path.of("application.yaml"));
             SseClient client = SseClient.post(other.port(), "/ai/llm/infer", body("count:1:0", true))) {
            assertThat(client.status(), is(503));
            assertThat(client.header("Content-Type"), is("application/problem+json"));
            Struct problem = Problems.parse(client.body());
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("NO_RESPONDERS"));
        }
    }

    @Test
    void serviceThatStopsMidStreamEndsWithAnIdleTimeoutErrorEvent() throws Exception {
        long start = System.nanoTime();
        try (SseClient client = open("stall:2")) {
            SseClient.Event first = client.next();
            List<SseClient.Event> events = new ArrayList<>(List.of(first));
            events.addAll(client.rest());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(events.size(), is(3));
            SseClient.Event error = events.getLast();
            assertThat(error.isError(), is(true));
            assertThat(Problems.parse(error.data()).getFieldsOrThrow("code").getStringValue(), is("DEADLINE_EXCEEDED"));
            assertThat(millis, greaterThan(900L));
            assertThat("ended by the idle timeout, not hung", millis, lessThan(15_000L));
            assertThat(service.awaitCancel(chunk(first).getGenerationId(), Duration.ofSeconds(10)), notNullValue());
        }
    }

    @Test
    void quietStreamGetsKeepAliveComments() {
        try (SseClient client = open("quiet:900")) {
            List<String> comments = new ArrayList<>();
            int data = 0;
            for (SseClient.Event e = client.next(); e != null; e = client.next()) {
                comments.addAll(e.comments());
                data += e.data() == null ? 0 : 1;
            }
            assertThat(data, is(2));
            assertThat(comments.contains("keep-alive"), is(true));
        }
    }

    @Test
    void tokenWithNewlinesAndDataPrefixArrivesIntact() {
        try (SseClient client = open("evil")) {
            List<SseClient.Event> events = client.rest();
            assertThat(events.size(), is(2));
            assertThat(chunk(events.get(0)).getDelta().getOutputTextDelta(), is(StreamingService.EVIL));
            assertThat(chunk(events.get(1)).getIsFinal(), is(true));
        }
    }

    @Test
    void errorBeforeTheFirstChunkIsAPlainHttpError() {
        try (SseClient client = open("error-first")) {
            assertThat(client.status(), is(400));
            assertThat(client.header("Content-Type"), is("application/problem+json"));
            assertThat(Problems.parse(client.body()).getFieldsOrThrow("code").getStringValue(), is("INVALID_ARGUMENT"));
        }
    }

    @Test
    void errorAfterTheFirstChunkIsAFinalErrorEvent() {
        try (SseClient client = open("error-mid")) {
            List<SseClient.Event> events = client.rest();
            assertThat(events.size(), is(2));
            assertThat(events.get(1).isError(), is(true));
            Struct problem = Problems.parse(events.get(1).data());
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("UNAVAILABLE"));
            assertThat(problem.getFieldsOrThrow("status").getNumberValue(), is(503.0));
        }
    }

    @Test
    void streamFlagAloneStreamsAndJsonAcceptGetsOneReply() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> sse = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.gateway().port() + "/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("count:2:0", true))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sse.statusCode(), is(200));
        assertThat(sse.headers().firstValue("Content-Type").orElse(""), containsString("text/event-stream"));
        assertThat(sse.body(), containsString("\"is_final\":true"));

        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.gateway().port() + "/stream"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("count:2:0", true))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode(), is(200));
        assertThat(json.headers().firstValue("Content-Type").orElse(""), is("application/json"));
        assertThat(Problems.parse(json.body()).getFieldsOrThrow("output_text").getStringValue(), is("unary"));
    }

    @Test
    void streamsBeyondTheCapGet429() throws Exception {
        try (Gateway capped = TestGateway.start(fx.nats().url(), Map.of("gateway.stream.max-concurrent", "2"),
                                                Path.of("src/test/resources/test-routes.yaml"));
             SseClient a = SseClient.post(capped.port(), "/stream", body("quiet:1500", true));
             SseClient b = SseClient.post(capped.port(), "/stream", body("quiet:1500", true))) {
            assertThat(a.status(), is(200));
            assertThat(b.status(), is(200));
            a.next();
            b.next();
            try (SseClient c = SseClient.post(capped.port(), "/stream", body("quiet:1500", true))) {
                assertThat(c.status(), is(429));
                assertThat(c.header("Retry-After"), notNullValue());
                assertThat(Problems.parse(c.body()).getFieldsOrThrow("code").getStringValue(), is("RESOURCE_EXHAUSTED"));
            }
        }
    }

    @Test
    void thousandConcurrentStreamsAllComplete() throws Exception {
        int streams = 1000;
        int tokens = 20;
        var threads = ManagementFactory.getThreadMXBean();
        int platformBefore = threads.getThreadCount();
        AtomicLong peakPlatform = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                results.add(clients.submit(() -> {
                    int expected = 0;
                    try (SseClient client = SseClient.post(fx.gateway().port(), "/stream-load", body("count:" + tokens + ":20", true))) {
                        for (SseClient.Event e = client.next(); e != null; e = client.next()) {
                            if (e.data() == null) {
                                continue;
                            }
                            if (chunk(e).getIndex() != expected) {
                                System.out.println("out of order: expected " + expected + " got event id=" + e.id()
                                                           + " name=" + e.name() + " data=" + e.data());
                                return -1;
                            }
                            expected++;
                            peakPlatform.accumulateAndGet(threads.getThreadCount(), Math::max);
                        }
                        return expected;
                    } catch (RuntimeException e) {
                        System.out.println("stream failed after " + expected + " events: " + e);
                        return -100 - expected;
                    }
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(120, TimeUnit.SECONDS), is(tokens + 1));
            }
        }
        Awaits.until(() -> fx.gateway().activeStreams() == 0, Duration.ofSeconds(5), "all streams closed");
        System.out.printf("%d streams x %d tokens: heap after %d MiB; platform threads before %d, peak %d "
                                  + "(each stream ran on its own virtual thread)%n",
                          streams, tokens + 1, usedHeapAfterGc() >> 20, platformBefore, peakPlatform.get());
        assertThat("platform threads stay few", peakPlatform.get(), lessThan((long) platformBefore + 100));
    }

    private static SseClient open(String script) {
        return SseClient.post(fx.gateway().port(), "/stream", body(script, true));
    }

    private static String body(String script, boolean stream) {
        return "{\"model_id\":\"m\",\"input\":{\"prompt\":\"" + script + "\"},\"params\":{\"stream\":" + stream + "}}";
    }

    private static InferChunk chunk(SseClient.Event event) {
        InferChunk.Builder builder = InferChunk.newBuilder();
        try {
            JsonFormat.parser().merge(event.data(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("event data is not an InferChunk: " + event.data(), e);
        }
        return builder.build();
    }

    private static Set<String> gatewaySubscriptions() {
        return NatsMonitor.subjects(fx.nats().monitorUrl(), NatsMonitor.GATEWAY_CONNECTION);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * The service behind {@code /stream}: the prompt says what to do. {@code count:N:ms} N tokens
     * then a final chunk; {@code big:N:bytes} N chunks as fast as possible; {@code stall:K} K chunks
     * then silence; {@code quiet:ms} a chunk, a pause, the final chunk; {@code evil} a token with
     * SSE framing inside; {@code error-first}, {@code error-mid} errors. Without params.stream it
     * answers one InferResponse. Cancels stop a generation before its next chunk.
     */
    static final class StreamingService {
        static final String EVIL = "a\n\ndata: x\r\nevent: error\n\nid: 9\n:b";

        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Map<String, String> replySubjects = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> sentCounts = new ConcurrentHashMap<>();
        final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        final Set<String> finished = ConcurrentHashMap.newKeySet();
        final BlockingQueue<CancelRequest> cancels = new LinkedBlockingQueue<>();
        private final Connection connection;
        private final AtomicLong ids = new AtomicLong();

        StreamingService(Connection connection) throws Exception {
            this.connection = connection;
            Dispatcher dispatcher = connection.createDispatcher();
            dispatcher.subscribe("test.stream", this::onRequest);
            dispatcher.subscribe("test.stream.cancel", msg -> {
                try {
                    CancelRequest cancel = CancelRequest.parseFrom(msg.getData());
                    cancelled.add(cancel.getGenerationId());
                    cancels.add(cancel);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            });
            connection.flush(Duration.ofSeconds(5));
        }

        /** The cancel for {@code generationId}, waiting up to {@code timeout}; null if none came. */
        CancelRequest awaitCancel(String generationId, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                CancelRequest cancel = cancels.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (cancel != null && cancel.getGenerationId().equals(generationId)) {
                    return cancel;
                }
            }
            return null;
        }

        long sent(String generationId) {
            return sentCounts.getOrDefault(generationId, new AtomicLong()).get();
        }

        private void onRequest(Message msg) throws InterruptedException {
            InferRequest request;
            try {
                request = InferRequest.parseFrom(msg.getData());
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
            if (!request.getParams().getStream()) {
                connection.publish(msg.getReplyTo(), InferResponse.newBuilder().setOutputText("unary").build().toByteArray());
                return;
            }
            String id = "gen-" + ids.incrementAndGet();
            replySubjects.put(id, msg.getReplyTo());
            Thread.ofVirtual().start(() -> generate(id, msg.getReplyTo(), request.getInput().getPrompt()));
        }

        private void generate(String id, String reply, String script) {
            String[] parts = script.split(":");
            try {
                switch (parts[0]) {
                    case "count" -> {
                        int n = Integer.parseInt(parts[1]);
                        long delay = Long.parseLong(parts[2]);
                        for (int i = 0; i < n && !cancelled.contains(id); i++) {
                            send(id, reply, token(id, i, "t" + i));
                            Thread.sleep(delay);
                        }
                        if (!cancelled.contains(id)) {
                            send(id, reply, last(id, n));
                        }
                    }
                    case "big" -> {
                        int n = Integer.parseInt(parts[1]);
                        String text = "x".repeat(Integer.parseInt(parts[2]));
                        for (int i = 0; i < n && !cancelled.contains(id); i++) {
                            send(id, reply, token(id, i, text));
                        }
                    }
                    case "stall" -> {
                        for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
                            send(id, reply, token(id, i, "t" + i));
                        }
                    }
                    case "quiet" -> {
                        send(id, reply, token(id, 0, "hello"));
                        Thread.sleep(Long.parseLong(parts[1]));
                        send(id, reply, last(id, 1));
                    }
                    case "evil" -> {
                        send(id, reply, token(id, 0, EVIL));
                        send(id, reply, last(id, 1));
                    }
                    case "error-first" -> send(id, reply, InferChunk.newBuilder().setGenerationId(id).setIsFinal(true)
                            .setError(Error.newBuilder().setCode(Error.Code.INVALID_ARGUMENT).setMessage("bad prompt")).build());
                    case "error-mid" -> {
                        send(id, reply, token(id, 0, "t0"));
                        send(id, reply, InferChunk.newBuilder().setGenerationId(id).setIndex(1)
                                .setError(Error.newBuilder().setCode(Error.Code.UNAVAILABLE).setMessage("model crashed")).build());
                    }
                    default -> throw new IllegalArgumentException(script);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished.add(id);
            }
        }

        private void send(String id, String reply, InferChunk chunk) {
            sentAt.put(id + "#" + chunk.getIndex(), System.nanoTime());
            connection.publish(reply, chunk.toByteArray());
            sentCounts.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
        }

        private static InferChunk token(String id, int index, String text) {
            return InferChunk.newBuilder().setGenerationId(id).setIndex(index)
                    .setDelta(Delta.newBuilder().setOutputTextDelta(text)).build();
        }

        private static InferChunk last(String id, int index) {
            return InferChunk.newBuilder().setGenerationId(id).setIndex(index).setIsFinal(true).setFinishReason("stop")
                    .setUsage(Usage.newBuilder().setPromptTokens(1).setCompletionTokens(index).setTotalTokens(index + 1))
                    .build();
        }
    }
}
