package gaming.gateway;

import ai.llm.v1.Delta;
import ai.llm.v1.InferChunk;
import gaming.testing.GatewayFixture;
import gaming.testing.Http;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.SseClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * gzip of large JSON answers ({@code gateway.compression}): a 10 KiB answer is encoded when the
 * client accepts gzip and decodes to the same JSON; a small one, one for a client that does not
 * accept gzip, and an SSE stream are not; off by default.
 */
class CompressionIT {
    private static final Path ROUTES = Path.of("src/test/resources/test-routes.yaml");
    private static final String SLOW = "/slow";
    private static final String SUBJECT = "test.slow";

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of("gateway.compression.enabled", "true"), ROUTES);

    @Test
    void a10KiBAnswerIsGzipEncodedAndDecodesToTheSameJson() throws IOException {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> quest(10 * 1024))) {
            HttpResponse<byte[]> plain = post(fx.http(), null);
            HttpResponse<byte[]> gzip = post(fx.http(), "br;q=1.0, gzip;q=0.8, *;q=0.1");

            assertThat(plain.statusCode(), is(200));
            assertThat(plain.headers().firstValue("Content-Encoding"), is(Optional.empty()));
            assertThat(plain.headers().allValues("Vary"), is(List.of("Accept-Encoding")));
            assertThat(plain.body().length, greaterThan(10 * 1024));

            assertThat(gzip.statusCode(), is(200));
            assertThat(gzip.headers().allValues("Content-Encoding"), is(List.of("gzip")));
            assertThat(gzip.headers().allValues("Vary"), is(List.of("Accept-Encoding")));
            assertThat(gzip.headers().allValues("Content-Type"), is(List.of("application/json")));
            assertThat(gzip.body().length, lessThan(plain.body().length / 4));
            String decoded = new String(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes(),
                                        StandardCharsets.UTF_8);
            assertThat(Problems.parse(decoded), is(Problems.parse(new String(plain.body(), StandardCharsets.UTF_8))));
            assertThat(decoded, containsString("\"description\""));
        }
    }

    @Test
    void gzipRefusedWithQZeroIsNotUsed() {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> quest(10 * 1024))) {
            HttpResponse<byte[]> res = post(fx.http(), "gzip;q=0, *");

            assertThat(res.headers().firstValue("Content-Encoding"), is(Optional.empty()));
            assertThat(res.headers().allValues("Vary"), is(List.of("Accept-Encoding")));
        }
    }

    /**
     * No Accept-Encoding, however malformed, gives a 5xx or a 406: a member with an invalid weight
     * or syntax is ignored (so gzip is not chosen from it) and identity stays acceptable; valid
     * members beside it still count, also on a second field line (RFC 9110 §5.3).
     */
    @Test
    void aMalformedAcceptEncodingNeverFailsAndNeverChoosesGzipFromABadMember() throws IOException {
        String[][] cases = {
                // Accept-Encoding field lines ("|" between lines), Content-Encoding expected ("" for none)
                {"gzip;q=1.5", ""},
                {"gzip;q=1.0001", ""},
                {"gzip;q=abc", ""},
                {"gzip;q=", ""},
                {"gzip;q=-1", ""},
                {"gzip;q=Infinity", ""},
                {"gzip;q=1e0", ""},
                {"gzip;q=0.5;q=1", ""},
                {"gzip;level=9", ""},
                {"\"gzip\"", ""},
                {";;;,,,", ""},
                {"identity;q=0", ""},
                {"*;q=0", ""},
                {"identity;q=0, *;q=0", ""},
                {"gzip;q=1.5, gzip;q=0.5", "gzip"},
                {"br, gzip;Q=1", "gzip"},
                {"gzip ; q=0.5", "gzip"},
                {"x,".repeat(1000) + "gzip", "gzip"},
                {"br|gzip", "gzip"}};
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> quest(10 * 1024))) {
            byte[] plain = post(fx.http(), null).body();
            for (String[] c : cases) {
                String what = "Accept-Encoding: " + (c[0].length() > 40 ? c[0].substring(0, 40) + "..." : c[0]);
                HttpRequest.Builder request = fx.http().request(SLOW).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
                for (String line : c[0].split("\\|")) {
                    request.header("Accept-Encoding", line);
                }
                HttpResponse<byte[]> res = fx.http().sendForBytes(request.build());

                assertThat(what, res.statusCode(), is(200));
                assertThat(what, res.headers().firstValue("Content-Encoding").orElse(""), is(c[1]));
                assertThat(what, res.headers().allValues("Vary"), is(List.of("Accept-Encoding")));
                byte[] body = c[1].isEmpty() ? res.body() : new GZIPInputStream(new ByteArrayInputStream(res.body())).readAllBytes();
                assertThat(what, new String(body, StandardCharsets.UTF_8), is(new String(plain, StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void aSmallAnswerIsNotEncoded() {
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> quest(100))) {
            HttpResponse<byte[]> res = post(fx.http(), "gzip");

            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("Content-Encoding"), is(Optional.empty()));
            assertThat(res.headers().firstValue("Vary"), is(Optional.empty()));
        }
    }

    @Test
    void anSseStreamIsNeverEncoded() {
        String text = "t".repeat(10 * 1024);
        byte[] chunk = InferChunk.newBuilder().setGenerationId("g-1").setIsFinal(true).setFinishReason("stop")
                .setDelta(Delta.newBuilder().setOutputTextDelta(text)).build().toByteArray();
        try (Responder ignored = Responder.create(fx.service(), "test.stream", msg -> chunk);
             SseClient sse = SseClient.post(fx.gateway().port(), "/stream",
                                            "{\"model_id\":\"m\",\"input\":{\"prompt\":\"p\"},\"params\":{\"stream\":true}}",
                                            "Accept-Encoding", "gzip")) {
            assertThat(sse.status(), is(200));
            assertThat(sse.header("Content-Encoding"), is((String) null));
            SseClient.Event event = sse.next();
            assertThat(event.data(), containsString(text));
        }
    }

    @Test
    void offByDefault() {
        Http plain = new Http(fx.another(Map.of(), ROUTES).port());
        try (Responder ignored = Responder.create(fx.service(), SUBJECT, msg -> quest(10 * 1024))) {
            HttpResponse<byte[]> res = post(plain, "gzip");

            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("Content-Encoding"), is(Optional.empty()));
            assertThat(res.headers().firstValue("Vary"), is(Optional.empty()));
        }
    }

    private static byte[] quest(int descriptionChars) {
        StringBuilder text = new StringBuilder(descriptionChars);
        for (int i = 0; text.length() < descriptionChars; i++) {
            text.append("Objective ").append(i).append(": bring the lost sword back to the smith. ");
        }
        return GenerateQuestResponse.newBuilder()
                .setQuest(Quest.newBuilder().setQuestId("q-1").setDescription(text.substring(0, descriptionChars)))
                .build().toByteArray();
    }

    private static HttpResponse<byte[]> post(Http http, String acceptEncoding) {
        HttpRequest.Builder request = http.request(SLOW).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.sendForBytes(request.build());
    }
}
