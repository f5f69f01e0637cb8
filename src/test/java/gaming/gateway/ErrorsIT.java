package gaming.gateway;

import ai.model.v1.GetModelResponse;
import com.google.protobuf.Struct;
import common.v1.Error;
import gaming.gateway.error.StatusTable;
import gaming.testing.GatewayFixture;
import gaming.testing.Http;
import gaming.testing.Problems;
import gaming.testing.Responder;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Errors over real HTTP and NATS: service error codes to statuses, route overrides, NATS Service
 * API error headers, no responders, timeouts, bad input and bad replies, all problem+json.
 */
class ErrorsIT {
    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of("gateway.nats.timeout-seconds", "30"));

    private static Http testHttp;

    @BeforeAll
    static void startTestRoutes() {
        testHttp = new Http(fx.another(Map.of(), Path.of("src/test/resources/test-routes.yaml")).port());
    }

    @ParameterizedTest
    @EnumSource(value = Error.Code.class, names = {"UNSPECIFIED", "UNRECOGNIZED"}, mode = EnumSource.Mode.EXCLUDE)
    void serviceErrorCodeMapsToItsStatus(Error.Code code) {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate", msg -> GenerateQuestResponse.newBuilder()
                .setError(Error.newBuilder().setCode(code).setMessage("failed: " + code).putDetails("field", "region"))
                .build().toByteArray())) {
            HttpResponse<String> res = fx.http().post("/quest/generate", "{}");
            Struct body = Problems.assertProblem(res, StatusTable.defaultStatus(code), code.name());
            assertThat(body.getFieldsOrThrow("detail").getStringValue(), is("failed: " + code));
            assertThat(body.getFieldsOrThrow("details").getStructValue().getFieldsOrThrow("field").getStringValue(),
                       is("region"));
            svc.next();
        }
    }

    @Test
    void statusTableOfTheOriginalDescription() {
        Map<Error.Code, Integer> table = Map.ofEntries(
                Map.entry(Error.Code.INVALID_ARGUMENT, 400), Map.entry(Error.Code.UNAUTHENTICATED, 401),
                Map.entry(Error.Code.PERMISSION_DENIED, 403), Map.entry(Error.Code.NOT_FOUND, 404),
                Map.entry(Error.Code.CONFLICT, 409), Map.entry(Error.Code.FAILED_PRECONDITION, 412),
                Map.entry(Error.Code.RESOURCE_EXHAUSTED, 429), Map.entry(Error.Code.INTERNAL, 500),
                Map.entry(Error.Code.UNIMPLEMENTED, 501), Map.entry(Error.Code.UNAVAILABLE, 503),
                Map.entry(Error.Code.DEADLINE_EXCEEDED, 504), Map.entry(Error.Code.CANCELLED, 499),
                Map.entry(Error.Code.ALREADY_EXISTS, 409), Map.entry(Error.Code.ABORTED, 409),
                Map.entry(Error.Code.OUT_OF_RANGE, 400), Map.entry(Error.Code.UNKNOWN, 500),
                Map.entry(Error.Code.DATA_LOSS, 500));
        table.forEach((code, status) -> assertThat(code.name(), StatusTable.defaultStatus(code), is(status)));
    }

    @Test
    void routeOverridesSingleEntries() {
        try (Responder svc = Responder.create(fx.service(), "test.model.get", msg -> GetModelResponse.newBuilder()
                .setError(Error.newBuilder().setCode(Error.Code.NOT_FOUND).setMessage("gone")).build().toByteArray())) {
            Problems.assertProblem(testHttp.post("/legacy/models/m1", "{}"), 410, "NOT_FOUND");
            svc.next();
        }
        try (Responder svc = Responder.create(fx.service(), "test.model.get", msg -> GetModelResponse.newBuilder()
                .setError(Error.newBuilder().setCode(Error.Code.PERMISSION_DENIED)).build().toByteArray())) {
            // entries without override keep the default
            Problems.assertProblem(testHttp.post("/legacy/models/m1", "{}"), 403, "PERMISSION_DENIED");
            svc.next();
        }
    }

    @Test
    void natsServiceErrorHeadersMap() {
        var dispatcher = fx.service().createDispatcher(msg -> {
            Headers headers = new Headers().put("Nats-Service-Error-Code", new String(msg.getData(), StandardCharsets.UTF_8).contains("teapot") ? "200" : "422")
                    .put("Nats-Service-Error", "region unknown");
            fx.service().publish(msg.getReplyTo(), headers, new byte[0]);
        });
        dispatcher.subscribe("svc.quest.v1.generate");
        try {
            fx.service().flush(java.time.Duration.ofSeconds(2));
            Struct body = Problems.assertProblem(fx.http().post("/quest/generate", "{\"region\":\"x\"}"), 422, "SERVICE_ERROR");
            assertThat(body.getFieldsOrThrow("detail").getStringValue(), is("region unknown"));
            Problems.assertProblem(fx.http().post("/quest/generate", "{\"region\":\"teapot\"}"), 502, "BAD_REPLY");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            fx.service().closeDispatcher(dispatcher);
        }
    }

    @Test
    void noRespondersIs503AtOnceDespiteA30sTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> res = fx.http().post("/quest/generate", "{}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        Problems.assertProblem(res, 503, "NO_RESPONDERS");
        assertThat("far below the 30 s timeout (generous for a busy machine)", millis, lessThan(10_000L));
        assertThat(res.headers().firstValue("Retry-After").isPresent(), is(true));
    }

    @Test
    void silentResponderIs504AfterTheRouteTimeout() {
        try (Responder svc = Responder.create(fx.service(), "test.slow", msg -> null)) {
            long start = System.nanoTime();
            HttpResponse<String> res = testHttp.post("/slow", "{}");
            long millis = (System.nanoTime() - start) / 1_000_000;
            Problems.assertProblem(res, 504, "TIMEOUT");
            assertThat(millis, greaterThanOrEqualTo(500L));
            assertThat("the route's 0.5 s, not the default 30 s (generous for a busy machine)", millis, lessThan(10_000L));
            svc.next();
        }
    }

    @Test
    void garbageReplyIs502() {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate",
                                              msg -> "not protobuf at all".getBytes(StandardCharsets.UTF_8))) {
            Problems.assertProblem(fx.http().post("/quest/generate", "{}"), 502, "BAD_REPLY");
            svc.next();
        }
    }

    @Test
    void badInputIs4xxProblemAndNothingIsSent() {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate",
                                              msg -> GenerateQuestResponse.getDefaultInstance().toByteArray());
             Responder models = Responder.create(fx.service(), "svc.ai.model.v1.get",
                                                 msg -> GetModelResponse.getDefaultInstance().toByteArray())) {
            Problems.assertProblem(fx.http().post("/quest/generate", "{\"region\": "), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/quest/generate", "{\"player_level\": \"high\"}"), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/quest/generate", "[1,2]"), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/ai/models/a*b", "{}"), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/ai/models/a%3Eb", "{}"), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/ai/models/a%20b", "{}"), 400, "INVALID_ARGUMENT");
            String[] labels = new String[66];
            for (int i = 0; i < 33; i++) {
                labels[2 * i] = "X-Custom-L" + i;
                labels[2 * i + 1] = "v";
            }
            Problems.assertProblem(fx.http().post("/quest/generate", "{}", labels), 400, "INVALID_ARGUMENT");
            Problems.assertProblem(fx.http().post("/quest/generate", "{\"region\":\"" + "x".repeat(1024 * 1024) + "\"}"),
                                   413, "PAYLOAD_TOO_LARGE");
            HttpResponse<String> type = fx.http().send(fx.http().request("/quest/generate")
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            Problems.assertProblem(type, 415, "UNSUPPORTED_MEDIA_TYPE");
            assertThat(svc.pending(), is(0));
            assertThat(models.pending(), is(0));

            // 32 labels are fine
            String[] ok = java.util.Arrays.copyOf(labels, 64);
            assertThat(fx.http().post("/quest/generate", "{}", ok).statusCode(), is(200));
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        // the test route table allows 1024 bytes; an unknown-length body has no Content-Length
        byte[] big = ("{\"region\":\"" + "y".repeat(4000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> res = testHttp.send(testHttp.request("/strict")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build());
        Problems.assertProblem(res, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void unknownFieldsAreIgnoredByDefaultAndRejectedWhereConfigured() {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate",
                                              msg -> GenerateQuestResponse.getDefaultInstance().toByteArray());
             Responder strict = Responder.create(fx.service(), "test.strict",
                                                 msg -> GenerateQuestResponse.getDefaultInstance().toByteArray())) {
            assertThat(fx.http().post("/quest/generate", "{\"legacy_extra\":1,\"region\":\"r\"}").statusCode(), is(200));
            svc.next();
            Struct body = Problems.assertProblem(testHttp.post("/strict", "{\"legacy_extra\":1}"), 400, "INVALID_ARGUMENT");
            assertThat(body.getFieldsOrThrow("detail").getStringValue(), containsString("legacy_extra"));
            assertThat(strict.pending(), is(0));
        }
    }

    @Test
    void unknownPathAndWrongMethod() {
        Problems.assertProblem(fx.http().post("/no/such/route", "{}"), 404, "NOT_FOUND");
        HttpResponse<String> get = fx.http().get("/quest/generate");
        Problems.assertProblem(get, 405, "METHOD_NOT_ALLOWED");
        assertThat(get.headers().firstValue("Allow").orElse(""), is("POST"));
    }
}
