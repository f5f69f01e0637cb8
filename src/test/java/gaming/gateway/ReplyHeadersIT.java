package gaming.gateway;

import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.Responder;

import com.google.protobuf.Struct;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Services set the HTTP status and headers through an allow-list of NATS reply headers
 * ({@code Http-Status}, the standard headers, the route's {@code reply-headers}); everything else
 * stays between service and gateway. A real nats-server, the service a jnats subscription here.
 */
class ReplyHeadersIT {
    private static final String PATH = "/quests";
    private static final String SUBJECT = "test.quests";
    private static final byte[] QUEST = GenerateQuestResponse.newBuilder()
            .setQuest(Quest.newBuilder().setQuestId("q-1").setTitle("The Lost Sword")).build().toByteArray();

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(), Path.of("src/test/resources/reply-headers-routes.yaml"));

    @Test
    void createdWithLocationAndETagReachTheClientAndNothingElseDoes() {
        Headers reply = new Headers()
                .put("Http-Status", "201")
                .put("Location", "/quests/q-1")
                .put("ETag", "\"v1\"")
                .put("x-quota-remaining", "9")
                .put("X-Internal-Shard", "eu-7")
                .put("Set-Cookie", "session=stolen")
                .put("Content-Type", "text/html");
        try (Responder svc = Responder.create(fx.service(), SUBJECT, msg -> QUEST, msg -> reply)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(201));
            assertThat(res.headers().allValues("Location"), is(List.of("/quests/q-1")));
            assertThat(res.headers().allValues("ETag"), is(List.of("\"v1\"")));
            assertThat(res.headers().allValues("X-Quota-Remaining"), is(List.of("9")));
            assertThat(res.headers().firstValue("X-Internal-Shard"), is(Optional.empty()));
            assertThat(res.headers().firstValue("Set-Cookie"), is(Optional.empty()));
            assertThat(res.headers().firstValue("Http-Status"), is(Optional.empty()));
            assertThat(res.headers().allValues("Content-Type"), is(List.of("application/json")));
            Struct body = Problems.parse(res.body());
            assertThat(body.getFieldsOrThrow("quest").getStructValue().getFieldsOrThrow("quest_id").getStringValue(),
                       is("q-1"));
            assertThat(svc.next().getHeaders().get("If-None-Match"), is((List<String>) null));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "404", "302", "206", "203", "304", "1xx", "2010"})
    void aStatusOutsideTheAllowListIsNotPassedOn(String status) {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST,
                                                  msg -> new Headers().put("Http-Status", status))) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(Problems.parse(res.body()).getFieldsOrThrow("quest").getStructValue()
                               .getFieldsOrThrow("title").getStringValue(), is("The Lost Sword"));
        }
    }

    @Test
    void acceptedAndCacheControlFromTheStandardList() {
        Function<Message, Headers> headers = msg -> new Headers().put("Http-Status", "202")
                .put("Retry-After", "5").put("Cache-Control", "no-store").put("Content-Language", "de");
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST, headers)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(202));
            assertThat(res.headers().allValues("Retry-After"), is(List.of("5")));
            assertThat(res.headers().allValues("Cache-Control"), is(List.of("no-store")));
            assertThat(res.headers().allValues("Content-Language"), is(List.of("de")));
        }
    }

    @Test
    void noContentHasNoBody() {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST,
                                                  msg -> new Headers().put("Http-Status", "204"))) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.statusCode(), is(204));
            assertThat(res.body(), is(""));
            assertThat(res.headers().firstValue("Content-Type"), is(Optional.empty()));
        }
    }

    @Test
    void ifNoneMatchGoesToTheServiceWhichMayAnswerNotModified() {
        Function<Message, Headers> headers = msg -> "\"v1\"".equals(msg.getHeaders().getFirst("If-None-Match"))
                ? new Headers().put("Http-Status", "304").put("ETag", "\"v1\"")
                : new Headers().put("ETag", "\"v1\"");
        try (Responder svc = Responder.create(fx.service(), SUBJECT, msg -> QUEST, headers)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}", "If-None-Match", "\"v1\"");

            assertThat(res.statusCode(), is(304));
            assertThat(res.body(), is(""));
            assertThat(res.headers().allValues("ETag"), is(List.of("\"v1\"")));
            assertThat(svc.next().getHeaders().get("If-None-Match"), is(List.of("\"v1\"")));

            HttpResponse<String> changed = fx.http().post(PATH, "{}", "If-None-Match", "\"v0\"");
            assertThat(changed.body(), changed.statusCode(), is(200));
            assertThat(changed.headers().allValues("ETag"), is(List.of("\"v1\"")));
            assertThat(svc.next().getHeaders().get("If-None-Match"), is(List.of("\"v0\"")));
        }
    }

    @Test
    void notModifiedWithoutIfNoneMatchIsNotPassedOn() {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST,
                                                  msg -> new Headers().put("Http-Status", "304"))) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(200));
        }
    }

    @Test
    void anOverlongIfNoneMatchIs400() {
        try (Responder svc = Responder.create(fx.service(), SUBJECT, msg -> QUEST)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}", "If-None-Match", "\"" + "x".repeat(1100) + "\"");

            Problems.assertProblem(res, 400, "INVALID_ARGUMENT");
            assertThat(svc.pending(), is(0));
        }
    }

    @Test
    void passedOnHeadersAreCappedInAll() {
        // 20 values of 1,000 characters under a name the route passes on: 1,017 characters each with
        // the name, so 16 fit in ReplyHeaders.MAX_TOTAL_LENGTH (16,384) and the other 4 are dropped
        List<String> values = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> String.valueOf((char) ('a' + i)).repeat(1000)).toList();
        Headers reply = new Headers().put("X-Quota-Remaining", values);
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST, msg -> reply)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(200));
            List<String> passed = res.headers().allValues("X-Quota-Remaining").stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(",\\s*"))).toList();
            assertThat(passed, is(values.subList(0, 16)));
        }
    }

    @Test
    void aReplyWithoutHeadersIsPlain200() {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> QUEST)) {
            HttpResponse<String> res = fx.http().post(PATH, "{}");

            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(res.headers().firstValue("Location"), is(Optional.empty()));
            assertThat(res.headers().firstValue("ETag"), is(Optional.empty()));
        }
    }
}
