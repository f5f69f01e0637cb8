package gaming.gateway;

import ai.model.v1.GetModelResponse;
import ai.model.v1.Model;
import gaming.testing.GatewayFixture;
import gaming.testing.Http;
import gaming.testing.Problems;
import gaming.testing.Responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * CORS through Helidon's CorsFeature: preflights and actual requests from allowed and disallowed
 * origins, errors with the CORS headers, a route with its own policy, and CORS off by default.
 * Every {@code Access-Control-*} header of each answer is checked.
 */
class CorsIT {
    private static final String APP = "http://app.example.com";
    /** Helidon sorts them, ignoring case. */
    private static final String EXPOSED = "ETag,Location,RateLimit,RateLimit-Policy,Retry-After,traceparent,X-Trace-ID";
    /** The CORS headers of an actual (not preflight) request from {@link #APP}. */
    private static final Map<String, String> ACTUAL = Map.of(
            "access-control-allow-origin", APP, "access-control-expose-headers", EXPOSED, "vary", "Origin");
    private static final byte[] QUEST = GenerateQuestResponse.newBuilder()
            .setQuest(Quest.newBuilder().setQuestId("q-1")).build().toByteArray();

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(
            Map.of("gateway.cors.allow-origins", APP + ", https://*.games.example"),
            Path.of("src/test/resources/cors-routes.yaml"));

    @Test
    void preflightFromAnAllowedOriginGetsEveryCorsHeader() {
        HttpResponse<String> res = preflight(fx.http(), "/quests", APP, "content-type,idempotency-key,x-trace-id");

        assertThat(res.statusCode(), is(204));
        assertThat(cors(res), is(Map.of(
                "access-control-allow-origin", APP,
                "access-control-allow-methods", "POST,GET",
                "access-control-allow-headers", "content-type,idempotency-key,x-trace-id",
                "access-control-max-age", "600",
                "vary", "Origin")));
    }

    @Test
    void aWildcardOriginMatchesSubdomainsOnly() {
        HttpResponse<String> sub = preflight(fx.http(), "/quests", "https://eu.play.games.example", "content-type");
        assertThat(sub.statusCode(), is(204));
        assertThat(sub.headers().allValues("Access-Control-Allow-Origin"), is(List.of("https://eu.play.games.example")));

        for (String origin : List.of("https://games.example.evil.test", "http://eu.games.example", "https://games.example")) {
            HttpResponse<String> other = preflight(fx.http(), "/quests", origin, "content-type");
            assertThat(origin, other.statusCode(), is(403));
            assertThat(origin, cors(other), is(Map.of()));
        }
    }

    @Test
    void preflightFromADisallowedOriginGetsNoCorsHeaders() {
        HttpResponse<String> res = preflight(fx.http(), "/quests", "http://evil.example", "content-type");

        assertThat(res.statusCode(), is(403));
        assertThat(cors(res), is(Map.of()));
    }

    @Test
    void preflightAskingForAHeaderNotAllowedGetsNoCorsHeaders() {
        HttpResponse<String> res = preflight(fx.http(), "/quests", APP, "content-type,x-secret");

        assertThat(res.statusCode(), is(403));
        assertThat(cors(res), is(Map.of()));
    }

    @Test
    void requestFromAnAllowedOriginCarriesTheCorsHeaders() {
        try (Responder svc = Responder.create(fx.service(), "test.cors.quests", msg -> QUEST)) {
            HttpResponse<String> res = fx.http().post("/quests", "{}", "Origin", APP, "X-Trace-ID", "cors-1");

            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(cors(res), is(ACTUAL));
            assertThat(res.headers().allValues("X-Trace-ID"), is(List.of("cors-1")));
            assertThat(svc.next().getSubject(), is("test.cors.quests"));
        }
    }

    @Test
    void requestFromADisallowedOriginIsRefusedWithoutCorsHeaders() {
        try (Responder svc = Responder.create(fx.service(), "test.cors.quests", msg -> QUEST)) {
            HttpResponse<String> res = fx.http().post("/quests", "{}", "Origin", "http://evil.example");

            assertThat(res.statusCode(), is(403));
            assertThat(cors(res), is(Map.of()));
            assertThat(svc.pending(), is(0));
        }
    }

    @Test
    void requestWithoutOriginHasNoCorsHeaders() {
        try (Responder ignored = Responder.create(fx.service(), "test.cors.quests", msg -> QUEST)) {
            HttpResponse<String> res = fx.http().post("/quests", "{}");

            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(cors(res), is(Map.of()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{not json | 400 | INVALID_ARGUMENT", "{} | 503 | NO_RESPONDERS"})
    void errorsCarryTheCorsHeaders(String body, int status, String code) {
        HttpResponse<String> res = fx.http().post("/quests", body, "Origin", APP);

        Problems.assertProblem(res, status, code);
        assertThat(cors(res), is(ACTUAL));
    }

    @Test
    void aRouteWithItsOwnPolicyAllowsItsOriginsWithCredentials() {
        byte[] model = GetModelResponse.newBuilder().setModel(Model.newBuilder().setModelId("m-1")).build().toByteArray();
        try (Responder ignored = Responder.create(fx.service(), "test.cors.partner", msg -> model)) {
            HttpResponse<String> pre = preflight(fx.http(), "/partner/m-1", "https://partner.example", "content-type");
            assertThat(pre.statusCode(), is(204));
            assertThat(cors(pre), is(Map.of(
                    "access-control-allow-origin", "https://partner.example",
                    "access-control-allow-credentials", "true",
                    "access-control-allow-methods", "POST",
                    "access-control-allow-headers", "content-type",
                    "access-control-max-age", "60",
                    "vary", "Origin")));

            HttpResponse<String> res = fx.http().post("/partner/m-1", "{}", "Origin", "https://partner.example");
            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(cors(res), is(Map.of(
                    "access-control-allow-origin", "https://partner.example",
                    "access-control-allow-credentials", "true",
                    "access-control-expose-headers", EXPOSED,
                    "vary", "Origin")));

            HttpResponse<String> gatewayWide = fx.http().post("/partner/m-1", "{}", "Origin", APP);
            assertThat(gatewayWide.statusCode(), is(403));
            assertThat(cors(gatewayWide), is(Map.of()));
        }
    }

    @Test
    void corsIsOffByDefault() {
        Http plain = new Http(fx.another(Map.of(), Path.of("application.yaml")).port());

        HttpResponse<String> pre = preflight(plain, "/quest/generate", APP, "content-type");
        Problems.assertProblem(pre, 405, "METHOD_NOT_ALLOWED");
        assertThat(cors(pre), is(Map.of()));

        HttpResponse<String> res = plain.post("/quest/generate", "{}", "Origin", APP);
        Problems.assertProblem(res, 503, "NO_RESPONDERS");
        assertThat(cors(res), is(Map.of()));
    }

    @Test
    void anOptionsRequestThatIsNoPreflightGetsWhatAnyOtherMethodGets() {
        // Helidon's CORS feature answers OPTIONS on every path, and a non-preflight one on a path no
        // route took it left unanswered: a 500
        for (String path : List.of("/no/such/route", "/")) {
            HttpResponse<String> res = fx.http().send(fx.http().request(path)
                                                              .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            Problems.assertProblem(res, 404, "NOT_FOUND");
            assertThat(cors(res), is(Map.of()));
        }
        HttpResponse<String> route = fx.http().send(fx.http().request("/quests")
                                                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        Problems.assertProblem(route, 405, "METHOD_NOT_ALLOWED");
    }

    private static HttpResponse<String> preflight(Http http, String path, String origin, String requestHeaders) {
        return http.send(http.request(path)
                                 .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                 .header("Origin", origin)
                                 .header("Access-Control-Request-Method", "POST")
                                 .header("Access-Control-Request-Headers", requestHeaders)
                                 .build());
    }

    /** The CORS headers of an answer, and Vary: names lower case, each one's values joined by "," without spaces. */
    private static Map<String, String> cors(HttpResponse<String> res) {
        Map<String, String> out = new TreeMap<>();
        res.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("access-control-") || lower.equals("vary")) {
                out.put(lower, String.join(",", values).replace(", ", ","));
            }
        });
        return out;
    }
}
