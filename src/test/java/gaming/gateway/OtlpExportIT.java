package gaming.gateway;

import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.model.v1.ListModelsRequest;
import ai.model.v1.ListModelsResponse;
import gaming.testing.GatewayFixture;
import gaming.testing.OtlpReceiver;
import gaming.testing.Responder;
import gaming.testing.SseClient;
import io.nats.client.Message;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/**
 * Spans exported over OTLP/HTTP to a receiver inside the test: for a request and for a stream, the
 * server span (the client's {@code traceparent} its parent), the NATS client span as its child, the
 * client's trace id kept in the response and {@code Meta}, and the {@code traceparent} the service
 * received naming the NATS span.
 */
class OtlpExportIT {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String PARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

    private static final OtlpReceiver receiver = OtlpReceiver.start();

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(
            "gateway.tracing.otel.exporter.otlp.traces.endpoint", receiver.tracesEndpoint(),
            "gateway.tracing.otel.bsp.schedule.delay", "50"));

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aRequestIsAServerSpanWithItsNatsClientSpanAsChild() throws Exception {
        assertRequestTraced(fx, receiver, "application/x-protobuf");
    }

    /**
     * A request with the client's {@code traceparent}: the server span under it, the NATS client span
     * its child and named by the {@code traceparent} the service received, the client's trace id kept;
     * every export arrived with {@code contentType}.
     */
    static void assertRequestTraced(GatewayFixture fx, OtlpReceiver receiver, String contentType) throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.list",
                                              msg -> ListModelsResponse.newBuilder().setSelectedModelId("m").build()
                                                      .toByteArray())) {
            HttpResponse<String> res = fx.http().post("/ai/models", "{}", "traceparent", PARENT,
                                                      "tracestate", "vendor=abc");
            assertThat(res.statusCode(), is(200));
            Message msg = svc.next();
            String sent = msg.getHeaders().getFirst("traceparent");
            assertThat(sent, matchesPattern("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
            assertThat(msg.getHeaders().getFirst("tracestate"), is("vendor=abc"));
            var meta = ListModelsRequest.parseFrom(msg.getData()).getMeta();
            assertThat(meta.getTraceId(), is(TRACE_ID));
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is(TRACE_ID));

            OtlpReceiver.Received nats = receiver.await(s -> s.spanId().equals(sent.substring(36, 52)),
                                                        "the NATS client span the service's traceparent names");
            assertThat(nats.span().getName(), is("request svc.ai.model.v1.list"));
            assertThat(nats.span().getKind(), is(Span.SpanKind.SPAN_KIND_CLIENT));
            assertThat(nats.traceId(), is(TRACE_ID));
            assertThat(nats.attribute("messaging.system"), is("nats"));
            assertThat(nats.attribute("messaging.destination.name"), is("svc.ai.model.v1.list"));
            assertThat(nats.attribute("messaging.operation.name"), is("request"));
            assertThat(nats.attribute("messaging.message.body.size"), is(Long.toString(msg.getData().length)));
            assertThat(nats.span().getStatus().getCode(), is(Status.StatusCode.STATUS_CODE_UNSET));

            OtlpReceiver.Received server = receiver.await(s -> s.spanId().equals(nats.parentSpanId()),
                                                          "the server span, the NATS span's parent");
            assertThat(server.span().getName(), is("POST /ai/models"));
            assertThat(server.span().getKind(), is(Span.SpanKind.SPAN_KIND_SERVER));
            assertThat(server.traceId(), is(TRACE_ID));
            assertThat(server.parentSpanId(), is(CLIENT_SPAN));
            assertThat(server.attribute("http.route"), is("/ai/models"));
            assertThat(server.attribute("http.request.method"), is("POST"));
            assertThat(server.attribute("http.response.status_code"), is("200"));
            assertThat(server.attribute("gateway.request.id"), is(meta.getRequestId()));
            assertThat(server.attribute("gateway.error.code"), is(nullValue()));
            assertThat(server.resourceAttribute("service.name"), is("http-nats-gateway"));
            // the response's traceparent names the server span
            assertThat(res.headers().firstValue("traceparent").orElseThrow(),
                       is("00-" + TRACE_ID + "-" + server.spanId() + "-01"));
            assertThat(receiver.contentTypes(), everyItem(is(contentType)));
        }
    }

    @Test
    void aStreamIsAServerSpanWithItsNatsClientSpanAsChild() throws Exception {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        try (Responder svc = Responder.create(fx.service(), "svc.ai.llm.v1.infer",
                                              msg -> InferChunk.newBuilder().setGenerationId("g").setIsFinal(true)
                                                      .setFinishReason("stop").build().toByteArray());
             SseClient client = SseClient.post(fx.gateway().port(), "/ai/llm/infer",
                                               "{\"model_id\":\"m\",\"input\":{\"prompt\":\"hi\"},\"params\":{\"stream\":true}}",
                                               "traceparent", "00-" + trace + "-b7ad6b7169203331-01")) {
            assertThat(client.status(), is(200));
            assertThat(client.header("x-trace-id"), is(trace));
            List<SseClient.Event> events = client.rest();
            assertThat(events.getLast().data(), containsString("\"is_final\":true"));
            Message msg = svc.next();
            String sent = msg.getHeaders().getFirst("traceparent");
            assertThat(InferRequest.parseFrom(msg.getData()).getMeta().getTraceId(), is(trace));

            OtlpReceiver.Received nats = receiver.await(s -> s.spanId().equals(sent.substring(36, 52)),
                                                        "the stream's NATS client span");
            assertThat(nats.span().getName(), is("stream svc.ai.llm.v1.infer"));
            assertThat(nats.span().getKind(), is(Span.SpanKind.SPAN_KIND_CLIENT));
            assertThat(nats.traceId(), is(trace));
            assertThat(nats.attribute("messaging.system"), is("nats"));
            assertThat(nats.attribute("messaging.destination.name"), is("svc.ai.llm.v1.infer"));
            assertThat(nats.attribute("gateway.stream.chunks"), is("1"));

            OtlpReceiver.Received server = receiver.await(s -> s.spanId().equals(nats.parentSpanId()),
                                                          "the stream's server span");
            assertThat(server.span().getName(), is("POST /ai/llm/infer"));
            assertThat(server.parentSpanId(), is("b7ad6b7169203331"));
            assertThat(server.attribute("http.route"), is("/ai/llm/infer"));
            assertThat(server.attribute("http.response.status_code"), is("200"));
            assertThat(server.attribute("gateway.stream.end"), is("completed"));
        }
    }

    @Test
    void aServerErrorIsAnErrorSpanWithTheGatewaysCode() {
        // nobody answers on svc.ai.llm.v1.cancel: 503
        HttpResponse<String> res = fx.http().post("/ai/llm/cancel", "{}");
        assertThat(res.statusCode(), is(503));
        String code = res.body().replaceAll("(?s).*\"code\"\\s*:\\s*\"([A-Z_]+)\".*", "$1");
        String traceId = res.headers().firstValue("X-Trace-ID").orElseThrow();
        OtlpReceiver.Received server = receiver.await(
                s -> s.traceId().equals(traceId) && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER,
                "the failed request's server span");
        assertThat(server.span().getName(), is("POST /ai/llm/cancel"));
        assertThat(server.parentSpanId(), is(""));
        assertThat(server.attribute("http.response.status_code"), is("503"));
        assertThat(server.attribute("gateway.error.code"), is(code));
        assertThat(server.attribute("error.type"), is(code));
        assertThat(server.span().getStatus().getCode(), is(Status.StatusCode.STATUS_CODE_ERROR));
        OtlpReceiver.Received nats = receiver.await(
                s -> s.traceId().equals(traceId) && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT,
                "the failed request's NATS span");
        assertThat(nats.parentSpanId(), is(server.spanId()));
        assertThat(nats.attribute("error.type"), is(code));
        assertThat(nats.span().getStatus().getCode(), is(Status.StatusCode.STATUS_CODE_ERROR));
    }

    @Test
    void anXTraceIdOf32HexWithoutTraceparentIsTheExportedTraceId() throws Exception {
        String trace = "5c0d2f3a9b8e7d6c5b4a39281706f5e4";
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.list",
                                              msg -> ListModelsResponse.getDefaultInstance().toByteArray())) {
            HttpResponse<String> res = fx.http().post("/ai/models", "{}", "X-Trace-ID", trace);
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is(trace));
            Message msg = svc.next();
            assertThat(msg.getHeaders().getFirst("traceparent"), matchesPattern("00-" + trace + "-[0-9a-f]{16}-01"));
            OtlpReceiver.Received server = receiver.await(
                    s -> s.traceId().equals(trace) && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER,
                    "a root server span with the client's trace id");
            assertThat(server.parentSpanId(), is(""));
            assertThat(server.attribute("gateway.trace.id"), is(nullValue()));
        }
    }
}
