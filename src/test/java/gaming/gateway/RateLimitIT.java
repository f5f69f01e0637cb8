package gaming.gateway;

import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.Responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
 * client goes on. Seconds derived from the clock ({@code t}, {@code Retry-After}) are checked
 * within the few seconds a loaded machine may take between requests; everything else exactly.
 */
class RateLimitIT {
    private static final String POLICY = "\"limited\";q=3;w=86400";
    private static final Pattern RATE_LIMIT = Pattern.compile("\"limited\";r=(\\d+);t=(\\d+)");

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

    /** {@code RateLimit: "limited";r=<remaining>;t=<reset>}, r exact, t within 30 s below {@code reset}. */
    private static void assertRateLimit(HttpResponse<String> res, long remaining, long reset) {
        String value = res.headers().firstValue("RateLimit").orElseThrow();
        Matcher m = RATE_LIMIT.matcher(value);
        assertThat(value, m.matches(), is(true));
        assertThat(value, Long.parseLong(m.group(1)), is(remaining));
        assertThat(value, Long.parseLong(m.group(2)), allOf(greaterThan(reset - 30), lessThanOrEqualTo(reset)));
    }
}
