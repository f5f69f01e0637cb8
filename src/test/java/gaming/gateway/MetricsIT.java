package gaming.gateway;

import ai.llm.v1.InferChunk;
import ai.model.v1.ListModelsResponse;
import common.v1.Error;
import gaming.testing.Awaits;
import gaming.testing.GatewayFixture;
import gaming.testing.Metrics;
import gaming.testing.Responder;
import gaming.testing.SseClient;
import io.nats.client.Dispatcher;
import npc.behavior.v1.PlanBehaviorResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import quest.v1.GenerateQuestResponse;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Known traffic through a real nats-server, and the exact meter changes it makes in the
 * Prometheus text of {@code /metrics}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {
    private static final Map<String, String> CONFIG = Map.of(
            "gateway.nats.timeout-seconds", "1",
            "gateway.max-body-bytes", "2048",
            "gateway.stream.keep-alive-millis", "100",
            "gateway.stream.idle-timeout-seconds", "2");

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(CONFIG);

    @Test
    void countsRequestsErrorsAndDurationsByRouteStatusAndCode() {
        GenerateQuestResponse ok = GenerateQuestResponse.getDefaultInstance();
        PlanBehaviorResponse notFound = PlanBehaviorResponse.newBuilder()
                .setError(Error.newBuilder().setCode(Error.Code.NOT_FOUND).setMessage("no such npc")).build();
        try (Responder quest = Responder.create(fx.service(), "svc.quest.v1.generate", msg -> ok.toByteArray());
             Responder npc = Responder.create(fx.service(), "svc.npc.behavior.v1.plan", msg -> notFound.toByteArray());
             Responder models = Responder.create(fx.service(), "svc.ai.model.v1.list", msg -> new byte[]{(byte) 0xff, 1});
             Responder silent = Responder.create(fx.service(), "svc.state.manager.v1.update", msg -> null)) {
            Metrics before = Metrics.scrape(fx.http());

            for (int i = 0; i < 3; i++) {
                assertThat(fx.http().post("/quest/generate", "{}").statusCode(), is(200));
            }
            assertThat(fx.http().post("/quest/generate", "{").statusCode(), is(400));
            assertThat(fx.http().post("/quest/generate", "{\"player_id\":\"" + "x".repeat(3000) + "\"}").statusCode(), is(413));
            assertThat(fx.http().get("/quest/generate").statusCode(), is(405));
            assertThat(fx.http().post("/npc/behavior", "{}").statusCode(), is(404));
            assertThat(fx.http().post("/ai/models", "{}").statusCode(), is(502));
            assertThat(fx.http().post("/state/get", "{}").statusCode(), is(503));
            assertThat(fx.http().post("/state/update", "{}").statusCode(), is(504));
            assertThat(fx.http().get("/no/such/route").statusCode(), is(404));

            Metrics after = settled();
            assertDelta(after, before, 6, "gateway_requests_total", "route", "quest-generate");
            assertDelta(after, before, 3, "gateway_request_duration_seconds_count", "route", "quest-generate", "status", "200");
            assertDelta(after, before, 3, "gateway_request_duration_seconds_bucket", "route", "quest-generate",
                        "status", "200", "le", "+Inf");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "quest-generate", "status", "400");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "quest-generate", "status", "413");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "quest-generate", "status", "405");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "quest-generate", "code", "INVALID_ARGUMENT");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "quest-generate", "code", "PAYLOAD_TOO_LARGE");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "quest-generate", "code", "METHOD_NOT_ALLOWED");
            assertDelta(after, before, 3, "gateway_errors_total", "route", "quest-generate");
            // only the three requests that got past validation went to NATS
            assertDelta(after, before, 3, "gateway_nats_request_duration_seconds_count", "route", "quest-generate");

            assertDelta(after, before, 1, "gateway_errors_total", "route", "npc-behavior", "code", "NOT_FOUND");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "npc-behavior", "status", "404");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "models-list", "code", "BAD_REPLY");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "models-list", "status", "502");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "state-get", "code", "NO_RESPONDERS");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "state-update", "code", "TIMEOUT");
            assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "state-update", "status", "504");
            // the timed-out NATS leg took the whole second: in the +Inf bucket, not in the 0.5 s one
            assertDelta(after, before, 1, "gateway_nats_request_duration_seconds_bucket", "route", "state-update", "le", "+Inf");
            assertDelta(after, before, 0, "gateway_nats_request_duration_seconds_bucket", "route", "state-update", "le", "0.5");
            assertDelta(after, before, 1, "gateway_errors_total", "route", "none", "code", "NOT_FOUND");
            assertDelta(after, before, 1, "gateway_requests_total", "route", "none");

            assertThat(after.value("gateway_requests_in_flight"), is(0.0));
            assertThat(after.delta(before, "gateway_nats_out_bytes_total"), greaterThan(0.0));
            assertThat(after.delta(before, "gateway_nats_in_bytes_total"), greaterThan(0.0));
            // jnats keeps a timed-out request outstanding until its periodic clean-up (5 s)
            Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_nats_outstanding_requests") == 0.0,
                         Duration.ofSeconds(15), "no NATS request outstanding");
            assertThat(after.has("gateway_nats_dropped_messages_total"), is(true));
            // label values are route names, statuses and codes only: never a raw path
            assertThat(after.text().contains("/no/such/route"), is(false));
            assertThat(after.text().contains("/quest/generate"), is(false));
        }
    }

    @Test
    void observeMetricsServesTheSameMeters() {
        var res = fx.http().get("/observe/metrics");
        assertThat(res.statusCode(), is(200));
        assertThat(Metrics.parse(res.body()).has("gateway_requests_total", "route", "quest-generate"), is(true));
    }

    @Test
    void streamsCountedByHowTheyEnd() throws Exception {
        Dispatcher llm = fx.service().createDispatcher(msg -> {
            String prompt;
            try {
                prompt = ai.llm.v1.InferRequest.parseFrom(msg.getData()).getInput().getPrompt();
            } catch (Exception e) {
                return;
            }
            int chunks = prompt.equals("complete") ? 3 : 1;
            for (int i = 0; i < chunks; i++) {
                fx.service().publish(msg.getReplyTo(), InferChunk.newBuilder().setGenerationId("g").setIndex(i)
                        .setIsFinal(prompt.equals("complete") && i == chunks - 1).build().toByteArray());
            }
        });
        llm.subscribe("svc.ai.llm.v1.infer");
        fx.service().flush(Duration.ofSeconds(5));
        try {
            Metrics before = Metrics.scrape(fx.http());

            try (SseClient sse = SseClient.post(fx.gateway().port(), "/ai/llm/infer", "{\"input\":{\"prompt\":\"complete\"}}")) {
                assertThat(sse.status(), is(200));
                assertThat(sse.rest().size(), is(3));
            }
            Awaits.until(() -> fx.gateway().activeStreams() == 0, Duration.ofSeconds(20), "the stream to end");

            try (SseClient sse = SseClient.post(fx.gateway().port(), "/ai/llm/infer", "{\"input\":{\"prompt\":\"idle\"}}")) {
                var events = sse.rest();
                assertThat(events.size(), is(2));
                assertThat(events.get(1).isError(), is(true));
            }

            // the idle stream's request leaves the in-flight gauge just after its last event was sent
            Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_requests_in_flight") == 0.0, Duration.ofSeconds(10),
                         "the ended streams' requests to leave the in-flight gauge");
            SseClient leaving = SseClient.post(fx.gateway().port(), "/ai/llm/infer", "{\"input\":{\"prompt\":\"leave\"}}");
            assertThat(leaving.next().data() != null, is(true));
            Metrics open = Metrics.scrape(fx.http());
            assertThat(open.value("gateway_streams_active"), is(1.0));
            assertThat(open.value("gateway_requests_in_flight"), is(1.0));
            leaving.close();
            Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_streams_active") == 0.0, Duration.ofSeconds(10),
                         "the active-stream gauge back to 0");
            Awaits.until(() -> Metrics.scrape(fx.http()).delta(before, "gateway_streams_ended_total", "route", "llm-infer",
                                                          "reason", "disconnected") == 1.0,
                         Duration.ofSeconds(10), "the disconnect to be counted");

            Metrics after = settled();
            assertDelta(after, before, 1, "gateway_streams_ended_total", "route", "llm-infer", "reason", "completed");
            assertDelta(after, before, 1, "gateway_streams_ended_total", "route", "llm-infer", "reason", "idle_timeout");
            assertDelta(after, before, 1, "gateway_streams_ended_total", "route", "llm-infer", "reason", "disconnected");
            assertDelta(after, before, 3, "gateway_streams_ended_total", "route", "llm-infer");
            assertDelta(after, before, 5, "gateway_stream_chunks_total", "route", "llm-infer");
            assertDelta(after, before, 3, "gateway_stream_duration_seconds_count", "route", "llm-infer");
            // the idle stream lasted its 2 s idle timeout
            assertDelta(after, before, 2, "gateway_stream_duration_seconds_bucket", "route", "llm-infer", "le", "1.0");
            assertDelta(after, before, 3, "gateway_request_duration_seconds_count", "route", "llm-infer", "status", "200");
            assertDelta(after, before, 3, "gateway_nats_request_duration_seconds_count", "route", "llm-infer");
            assertThat(after.value("gateway_streams_active"), is(0.0));
            assertThat(after.value("gateway_requests_in_flight"), is(0.0));
        } finally {
            fx.service().closeDispatcher(llm);
        }
    }

    /** Last: it stops and restarts the class's nats-server. */
    @Test
    @Order(Integer.MAX_VALUE)
    void natsConnectionGaugeFollowsAnOutage() {
        Metrics before = Metrics.scrape(fx.http());
        assertThat(before.value("gateway_nats_connected"), is(1.0));

        fx.nats().stop();
        Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_nats_connected") == 0.0, Duration.ofSeconds(15),
                     "the connection gauge to drop to 0");
        assertThat(fx.http().post("/quest/generate", "{}").statusCode(), is(503));

        fx.nats().restart();
        Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_nats_connected") == 1.0, Duration.ofSeconds(15),
                     "the connection gauge back to 1");
        Metrics after = Metrics.scrape(fx.http());
        assertDelta(after, before, 1, "gateway_errors_total", "route", "quest-generate", "code", "NATS_UNAVAILABLE");
        assertDelta(after, before, 1, "gateway_request_duration_seconds_count", "route", "quest-generate", "status", "503");
        assertThat(after.delta(before, "gateway_nats_reconnects_total"), greaterThan(0.0));
    }

    /** Every request of the test recorded: the in-flight gauge is left last, after meters and the access log. */
    private static Metrics settled() {
        Awaits.until(() -> Metrics.scrape(fx.http()).value("gateway_requests_in_flight") == 0.0, Duration.ofSeconds(20),
                     "no request in flight");
        return Metrics.scrape(fx.http());
    }

    private static void assertDelta(Metrics after, Metrics before, double expected, String name, String... labels) {
        assertThat(name + " " + String.join(",", labels), after.delta(before, name, labels), is(expected));
    }
}
