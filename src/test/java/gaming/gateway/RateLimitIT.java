package gaming.gateway;

import ai.llm.v1.InferChunk;
import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.SseClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Per-client rate limits over real HTTP: 3 requests a day per {@code X-Client-ID}. The fourth
 * request of one client is 429 with {@code Retry-After} and the RateLimit headers while another
 * client goes on. Every answer on a limited route carries {@code RateLimit-Policy}; every answer to
 * a request that was counted (each one whose client is known: a refused body, a failed service and
 * a stream too) also carries {@code RateLimit}. Seconds derived from the clock ({@code t},
 * {@code Retry-After}) are checked within the few seconds a loaded machine may take between
 * requests; everything else exactly.
 */
class RateLimitIT {
    private static final String POLICY = "\"limited\";q=3;w=86400";

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(), Path.of("src/test/resources/rate-limit-routes.yaml"));

    @Test
    void aClientOverItsLimitGets429WhileAnotherIsUnaffected() {
        byte[] reply = GenerateQuestResponse.getDefaultInstance().toByteArray();
        try (Responder svc = Responder.create(fx.service(), "test.limited", msg -> reply)) {
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> ok = fx.http().post("/limited", "{}", "X-Client-ID", "greedy");
                assertThat(ok.body(), ok.statusCode(), is(200));
                assertThat(ok.headers().firstValue("RateLimit-Policy"), is(Optional.of(POLICY)));
                assertRateLimit(ok, 3 - i, 28_800L * i);
            }

            HttpResponse<String> limited = fx.http().post("/limited", "{}", "X-Client-ID", "greedy");
            Problems.assertProblem(limited, 429, "RATE_LIMITED");
            assertThat(limited.headers().firstValue("RateLimit-Policy"), is(Optional.of(POLICY)));
            assertRateLimit(limited, 0, 86_400);
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter, allOf(greaterThan(28_800L - 30), lessThanOrEqualTo(28_800L)));

            HttpResponse<String> other = fx.http().post("/limited", "{}", "X-Client-ID", "modest");
            assertThat(other.body(), other.statusCode(), is(200));
            assertRateLimit(other, 2, 28_800);

            HttpResponse<String> free = fx.http().post("/free", "{}", "X-Client-ID", "greedy");
            assertThat(free.body(), free.statusCode(), is(200));
            assertThat(free.headers().firstValue("RateLimit"), is(Optional.empty()));

            assertThat(svc.pending(), is(5));
        }
    }

    @Test
    void aRefusedBodyAndAFailedServiceAreCountedAndCarryBothFields() {
        // no service listens on test.limited in this test
        HttpResponse<String> badJson = fx.http().post("/limited", "{", "X-Client-ID", "careless");
        Problems.assertProblem(badJson, 400, "INVALID_ARGUMENT");
        assertThat(badJson.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
        assertRateLimit(badJson, 2, 28_800);

        HttpResponse<String> notJson = fx.http().send(fx.http().request("/limited").header("Content-Type", "text/plain")
                                                              .header("X-Client-ID", "careless")
                                                              .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        Problems.assertProblem(notJson, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(notJson.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
        assertRateLimit(notJson, 1, 57_600);

        HttpResponse<String> noService = fx.http().post("/limited", "{}", "X-Client-ID", "careless");
        Problems.assertProblem(noService, 503, "NO_RESPONDERS");
        assertThat(noService.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
        assertRateLimit(noService, 0, 86_400);

        // the limit is checked before the body is read: over it, a bad body is 429 too
        HttpResponse<String> over = fx.http().post("/limited", "{", "X-Client-ID", "careless");
        Problems.assertProblem(over, 429, "RATE_LIMITED");
        assertThat(over.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
        assertRateLimit(over, 0, 86_400);
    }

    @Test
    void anAnswerGivenBeforeTheClientIsKnownCarriesThePolicyAndTakesNoToken() {
        byte[] reply = GenerateQuestResponse.getDefaultInstance().toByteArray();
        try (Responder ignored = Responder.create(fx.service(), "test.limited", msg -> reply)) {
            // a label beyond its bound: refused while the request's Meta is made, before the client is counted
            HttpResponse<String> badLabel = fx.http().post("/limited", "{}", "X-Client-ID", "early",
                                                           "X-Custom-Note", "n".repeat(300));
            Problems.assertProblem(badLabel, 400, "INVALID_ARGUMENT");
            assertThat(badLabel.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
            assertThat(badLabel.headers().firstValue("RateLimit"), is(Optional.empty()));

            HttpResponse<String> get = fx.http().send(fx.http().request("/limited").header("X-Client-ID", "early").GET().build());
            Problems.assertProblem(get, 405, "METHOD_NOT_ALLOWED");
            assertThat(get.headers().allValues("RateLimit-Policy"), is(List.of(POLICY)));
            assertThat(get.headers().firstValue("RateLimit"), is(Optional.empty()));

            HttpResponse<String> ok = fx.http().post("/limited", "{}", "X-Client-ID", "early");
            assertThat(ok.body(), ok.statusCode(), is(200));
            assertRateLimit(ok, 2, 28_800);
        }
    }

    @Test
    void theRoutesInFlightCapAnswersWithThePolicyAndTakesNoToken() throws Exception {
        String policy = "\"limited-capped\";q=3;w=86400";
        // the service never answers: the first request holds the route's one slot until its 5 s timeout
        try (Responder silent = Responder.create(fx.service(), "test.limited.capped", msg -> null)) {
            CompletableFuture<HttpResponse<String>> first = HttpClient.newHttpClient().sendAsync(
                    fx.http().request("/limited-capped").header("Content-Type", "application/json").header("X-Client-ID", "capped")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            silent.next();

            HttpResponse<String> capped = fx.http().post("/limited-capped", "{}", "X-Client-ID", "capped");
            Problems.assertProblem(capped, 503, "OVERLOADED");
            assertThat(capped.headers().allValues("RateLimit-Policy"), is(List.of(policy)));
            assertThat(capped.headers().firstValue("RateLimit"), is(Optional.empty()));

            HttpResponse<String> timedOut = first.get(60, TimeUnit.SECONDS);
            Problems.assertProblem(timedOut, 504, "TIMEOUT");
            assertThat(timedOut.headers().allValues("RateLimit-Policy"), is(List.of(policy)));
            assertRateLimit(timedOut.headers().firstValue("RateLimit").orElse(null), "limited-capped", 2, 28_800);

            // the 503 took no token: the next request is the client's second
            HttpResponse<String> second = fx.http().post("/limited-capped", "{}", "X-Client-ID", "capped");
            Problems.assertProblem(second, 504, "TIMEOUT");
            assertRateLimit(second.headers().firstValue("RateLimit").orElse(null), "limited-capped", 1, 57_600);
        }
    }

    @Test
    void aStreamAndItsFailureCarryBothFields() {
        String policy = "\"limited-stream\";q=3;w=86400";
        byte[] last = InferChunk.newBuilder().setIsFinal(true).setFinishReason("stop").build().toByteArray();
        try (Responder ignored = Responder.create(fx.service(), "test.limited.stream", msg -> last);
             SseClient stream = SseClient.post(fx.gateway().port(), "/limited-stream", "{}", "X-Client-ID", "streamer")) {
            assertThat(stream.status(), is(200));
            assertThat(stream.header("Content-Type"), is("text/event-stream"));
            assertThat(stream.header("RateLimit-Policy"), is(policy));
            assertRateLimit(stream.header("RateLimit"), "limited-stream", 2, 28_800);
            assertThat(stream.rest().size(), is(1));
        }
        try (SseClient failed = SseClient.post(fx.gateway().port(), "/limited-stream", "{}", "X-Client-ID", "streamer")) {
            assertThat(failed.status(), is(503));
            assertThat(failed.header("Content-Type"), is("application/problem+json"));
            assertThat(failed.header("RateLimit-Policy"), is(policy));
            assertRateLimit(failed.header("RateLimit"), "limited-stream", 1, 57_600);
        }
    }

    /** {@code RateLimit: "limited";r=<remaining>;t=<reset>}, r exact, t within 30 s below {@code reset}. */
    private static void assertRateLimit(HttpResponse<String> res, long remaining, long reset) {
        assertRateLimit(res.headers().firstValue("RateLimit").orElseThrow(), "limited", remaining, reset);
    }

    /** {@code value} is {@code "<route>";r=<remaining>;t=<reset>}, r exact, t within 30 s below {@code reset}. */
    private static void assertRateLimit(String value, String route, long remaining, long reset) {
        assertThat("RateLimit", value != null, is(true));
        Matcher m = Pattern.compile(Pattern.quote("\"" + route + "\"") + ";r=(\\d+);t=(\\d+)").matcher(value);
        assertThat(value, m.matches(), is(true));
        assertThat(value, Long.parseLong(m.group(1)), is(remaining));
        assertThat(value, Long.parseLong(m.group(2)), allOf(greaterThan(reset - 30), lessThanOrEqualTo(reset)));
    }
}
