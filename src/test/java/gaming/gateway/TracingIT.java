package gaming.gateway;

import common.v1.Meta;
import gaming.testing.GatewayFixture;
import gaming.testing.Responder;
import io.nats.client.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestRequest;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/** W3C trace context from the HTTP client through NATS to the service, and back in the response. */
class TracingIT {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";


    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of());

    /** The service echoes the trace id it got in Meta, as services do. */
    private static Responder echoing() {
        return Responder.create(fx.service(), "svc.quest.v1.generate", msg -> {
            try {
                Meta meta = GenerateQuestRequest.parseFrom(msg.getData()).getMeta();
                return GenerateQuestResponse.newBuilder().setMeta(Meta.newBuilder().setTraceId(meta.getTraceId()))
                        .build().toByteArray();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void clientTraceparentAndTracestateReachTheServiceAndComeBack() throws Exception {
        try (Responder svc = echoing()) {
            HttpResponse<String> res = fx.http().post("/quest/generate", "{}", "traceparent", PARENT,
                                                 "tracestate", "vendor=abc,other=1");
            assertThat(res.statusCode(), is(200));
            Message msg = svc.next();
            assertThat(msg.getHeaders().getFirst("traceparent"), is(PARENT));
            assertThat(msg.getHeaders().getFirst("tracestate"), is("vendor=abc,other=1"));
            assertThat(GenerateQuestRequest.parseFrom(msg.getData()).getMeta().getTraceId(), is(TRACE_ID));
            assertThat(res.headers().firstValue("traceparent").orElseThrow(), is(PARENT));
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is(TRACE_ID));
            assertThat(res.body(), org.hamcrest.Matchers.containsString(TRACE_ID));
        }
    }

    @Test
    void gatewayStartsATraceWhenThereIsNone() throws Exception {
        try (Responder svc = echoing()) {
            HttpResponse<String> res = fx.http().post("/quest/generate", "{}");
            assertThat(res.statusCode(), is(200));
            String traceparent = res.headers().firstValue("traceparent").orElseThrow();
            assertThat(traceparent, matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            String traceId = traceparent.substring(3, 35);
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is(traceId));
            Message msg = svc.next();
            // the service's parent is the gateway's span, the one the response names
            assertThat(msg.getHeaders().getFirst("traceparent"), is(traceparent));
            assertThat(msg.getHeaders().getFirst("tracestate"), is(nullValue()));
            assertThat(GenerateQuestRequest.parseFrom(msg.getData()).getMeta().getTraceId(), is(traceId));
        }
    }

    @Test
    void tracestateWithoutAValidTraceparentIsDropped() throws Exception {
        try (Responder svc = echoing()) {
            HttpResponse<String> res = fx.http().post("/quest/generate", "{}", "traceparent", "00-bad-01",
                                                 "tracestate", "vendor=abc");
            assertThat(res.statusCode(), is(200));
            Message msg = svc.next();
            assertThat(msg.getHeaders().getFirst("tracestate"), is(nullValue()));
            assertThat(msg.getHeaders().getFirst("traceparent"), is(res.headers().firstValue("traceparent").orElseThrow()));
        }
    }

    @Test
    void errorResponsesCarryTheTraceToo() {
        HttpResponse<String> res = fx.http().post("/quest/generate", "{", "traceparent", PARENT);
        assertThat(res.statusCode(), is(400));
        assertThat(res.headers().firstValue("traceparent").orElseThrow(), is(PARENT));
        assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is(TRACE_ID));
    }
}
