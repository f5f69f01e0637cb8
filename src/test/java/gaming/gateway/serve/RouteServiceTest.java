package gaming.gateway.serve;

import ai.model.v1.GetModelRequest;
import ai.model.v1.GetModelResponse;
import ai.model.v1.Model;
import common.v1.Error;
import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.idempotency.IdempotencyGuard;
import gaming.gateway.observe.AccessLog;
import gaming.gateway.observe.GatewayMetrics;
import gaming.gateway.ratelimit.RateLimitSettings;
import gaming.gateway.ratelimit.RouteRateLimit;
import gaming.gateway.route.Route;
import gaming.gateway.route.RouteTable;
import gaming.gateway.transcode.TraceContext;
import gaming.gateway.upstream.Upstream;
import gaming.testing.Problems;

import com.google.protobuf.Message;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The request path of one route, from HTTP to its {@link Upstream} and back, with a fake upstream:
 * no NATS, no socket (Helidon's in-memory {@link DirectClient}).
 */
class RouteServiceTest {
    private static final Route MODELS_GET = RouteTable.create(
                    Config.just(ConfigSources.file("application.yaml")).get("gateway"), Duration.ofSeconds(30))
            .routes().stream().filter(r -> r.name().equals("models-get")).findFirst().orElseThrow();

    /** An upstream that records each call and answers with {@code answer}. */
    private static final class FakeUpstream implements Upstream {
        final List<Message> requests = new ArrayList<>();
        final List<TraceContext.Trace> traces = new ArrayList<>();
        private final Function<GetModelRequest, Message> answer;

        FakeUpstream(Function<GetModelRequest, Message> answer) {
            this.answer = answer;
        }

        @Override
        public Message call(Message request, Meta meta, TraceContext.Trace trace) {
            requests.add(request);
            traces.add(trace);
            return answer.apply((GetModelRequest) request);
        }

        @Override
        public Stream open(Message request, Meta meta, TraceContext.Trace trace) {
            throw new UnsupportedOperationException("models-get does not stream");
        }
    }

    private final GatewayMetrics metrics = GatewayMetrics.create(false, AccessLog.create(false));
    private DirectClient client;

    private DirectClient serve(Upstream upstream, IdentityResolver identity) {
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorHandlers.register(routing);
        routing.register(RouteService.create(MODELS_GET, upstream, 1024, null, identity,
                                             metrics.route(MODELS_GET.name(), false),
                                             IdempotencyGuard.none(MODELS_GET.idempotency())));
        client = new DirectClient(routing);
        return client;
    }

    /** The same, with a limit of 3 requests a minute per {@code X-Client-ID}. */
    private DirectClient serveLimited(Upstream upstream) {
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorHandlers.register(routing);
        RouteRateLimit limit = RouteRateLimit.create(MODELS_GET.name(), new RateLimitSettings(
                3, Duration.ofSeconds(60), RateLimitSettings.Key.CLIENT_ID, 100));
        routing.register(RouteService.create(MODELS_GET, upstream, 1024, null, IdentityResolver.TRUST_HEADERS,
                                             metrics.route(MODELS_GET.name(), false),
                                             IdempotencyGuard.none(MODELS_GET.idempotency()), null, limit, null));
        client = new DirectClient(routing);
        return client;
    }

    private static Http1ClientRequest post(DirectClient client, String path) {
        return client.post(path).header(HeaderValues.CONTENT_TYPE_JSON);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void requestWithMetaAndPathParameterGoesUpAndTheReplyComesBackAsJson() {
        FakeUpstream upstream = new FakeUpstream(req -> GetModelResponse.newBuilder()
                .setModel(Model.newBuilder().setModelId(req.getModelId()).setContextLength(8192)).build());
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.TRUST_HEADERS), "/ai/models/m-1")
                .header(io.helidon.http.HeaderNames.create("X-User-ID"), "u-1")
                .header(io.helidon.http.HeaderNames.create("Idempotency-Key"), "k-1")
                .submit("{}")) {
            assertThat(res.status().code(), is(200));
            assertThat(res.as(String.class), is("{\"model\":{\"model_id\":\"m-1\",\"context_length\":8192}}"));
            String traceId = res.headers().first(TraceContext.X_TRACE_ID).orElseThrow();
            GetModelRequest sent = (GetModelRequest) upstream.requests.getFirst();
            assertThat(sent.getModelId(), is("m-1"));
            assertThat(sent.getMeta().getTraceId(), is(traceId));
            assertThat(sent.getMeta().getUserId(), is("u-1"));
            assertThat(sent.getMeta().getIdempotencyKey(), is("k-1"));
            assertThat(sent.getMeta().getRequestId(), matchesPattern("[0-9a-f]{32}"));
            assertThat(upstream.traces.getFirst().traceId(), is(traceId));
        }
    }

    @Test
    void identityIsAppliedByTheResolverNotTakenFromTheHeaders() {
        FakeUpstream upstream = new FakeUpstream(req -> GetModelResponse.getDefaultInstance());
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.STRIP), "/ai/models/m-1")
                .header(io.helidon.http.HeaderNames.create("X-User-ID"), "spoofed")
                .submit("{}")) {
            assertThat(res.status().code(), is(200));
            assertThat(((GetModelRequest) upstream.requests.getFirst()).getMeta().getUserId(), is(""));
        }
    }

    @Test
    void upstreamFailureIsItsProblem() {
        FakeUpstream upstream = new FakeUpstream(req -> {
            throw GatewayException.timeout(MODELS_GET.subject(), 30_000);
        });
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.TRUST_HEADERS), "/ai/models/m-1").submit("{}")) {
            assertThat(res.status().code(), is(504));
            assertThat(Problems.parse(res.as(String.class)).getFieldsOrThrow("code").getStringValue(), is("TIMEOUT"));
        }
    }

    @Test
    void serviceErrorThrownByTheUpstreamKeepsTheRoutesStatus() {
        FakeUpstream upstream = new FakeUpstream(req -> {
            throw GatewayException.fromService(Error.newBuilder().setCode(Error.Code.NOT_FOUND).setMessage("no m-9").build(),
                                               MODELS_GET.statusTable());
        });
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.TRUST_HEADERS), "/ai/models/m-9").submit("{}")) {
            assertThat(res.status().code(), is(404));
            var problem = Problems.parse(res.as(String.class));
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("NOT_FOUND"));
            assertThat(problem.getFieldsOrThrow("detail").getStringValue(), is("no m-9"));
        }
    }

    @Test
    void badJsonIs400AndNeverReachesTheUpstream() {
        FakeUpstream upstream = new FakeUpstream(req -> GetModelResponse.getDefaultInstance());
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.TRUST_HEADERS), "/ai/models/m-1").submit("{")) {
            assertThat(res.status().code(), is(400));
            assertThat(Problems.parse(res.as(String.class)).getFieldsOrThrow("code").getStringValue(),
                       is("INVALID_ARGUMENT"));
            assertThat(upstream.requests.size(), is(0));
        }
    }

    @Test
    void bodyLargerThanTheLimitIs413AndNeverReachesTheUpstream() {
        FakeUpstream upstream = new FakeUpstream(req -> GetModelResponse.getDefaultInstance());
        String big = "{\"model_id\":\"" + "x".repeat(2000) + "\"}";
        try (HttpClientResponse res = post(serve(upstream, IdentityResolver.TRUST_HEADERS), "/ai/models/m-1").submit(big)) {
            assertThat(res.status().code(), is(413));
            assertThat(Problems.parse(res.as(String.class)).getFieldsOrThrow("code").getStringValue(),
                       is("PAYLOAD_TOO_LARGE"));
            assertThat(upstream.requests.size(), is(0));
        }
    }

    @Test
    void anUnexpectedFailureOnALimitedRouteIsA500ThatKeepsTheRateLimitFields() {
        FakeUpstream upstream = new FakeUpstream(req -> {
            throw new IllegalStateException("a bug in the gateway");
        });
        try (HttpClientResponse res = post(serveLimited(upstream), "/ai/models/m-1")
                .header(io.helidon.http.HeaderNames.create("X-Client-ID"), "c-1")
                .submit("{}")) {
            assertThat(res.status().code(), is(500));
            var problem = Problems.parse(res.as(String.class));
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("INTERNAL"));
            assertThat(problem.getFieldsOrThrow("trace_id").getStringValue(),
                       is(res.headers().first(TraceContext.X_TRACE_ID).orElse("missing")));
            assertThat(res.headers().first(RouteRateLimit.POLICY), is(Optional.of("\"models-get\";q=3;w=60")));
            assertThat(res.headers().first(RouteRateLimit.RATE_LIMIT), is(Optional.of("\"models-get\";r=2;t=20")));
        }
    }

    @Test
    void onALimitedRouteABadBodyTakesATokenAndCarriesBothFields() {
        FakeUpstream upstream = new FakeUpstream(req -> GetModelResponse.getDefaultInstance());
        DirectClient limited = serveLimited(upstream);
        try (HttpClientResponse res = post(limited, "/ai/models/m-1")
                .header(io.helidon.http.HeaderNames.create("X-Client-ID"), "c-2")
                .submit("{")) {
            assertThat(res.status().code(), is(400));
            assertThat(res.headers().first(RouteRateLimit.POLICY), is(Optional.of("\"models-get\";q=3;w=60")));
            assertThat(res.headers().first(RouteRateLimit.RATE_LIMIT), is(Optional.of("\"models-get\";r=2;t=20")));
        }
        try (HttpClientResponse res = post(limited, "/ai/models/m-1")
                .header(io.helidon.http.HeaderNames.create("X-Client-ID"), "c-2")
                .submit("{}")) {
            assertThat(res.status().code(), is(200));
            assertThat(res.headers().first(RouteRateLimit.RATE_LIMIT).orElseThrow(), matchesPattern("\"models-get\";r=1;t=(3[0-9]|40)"));
        }
        assertThat(upstream.requests.size(), is(1));
    }
}
