package gaming.gateway;

import com.google.gson.JsonObject;
import gaming.testing.AccessLogCapture;
import gaming.testing.Http;
import gaming.testing.NatsServer;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestRequest;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** One JSON line per request on the {@code gateway.access} logger, with no body and no credential. */
class AccessLogIT {
    private static final String SECRET = "Bearer s3cr3t-t0ken";

    @Test
    void oneLinePerRequestWithIdsSizesAndErrorCode() throws Exception {
        try (NatsServer nats = NatsServer.start(); Gateway gateway = TestGateway.start(nats.url());
             Connection service = Nats.connect(nats.url());
             Responder svc = Responder.create(service, "svc.quest.v1.generate",
                                              msg -> GenerateQuestResponse.getDefaultInstance().toByteArray());
             AccessLogCapture log = new AccessLogCapture()) {
            Http http = new Http(gateway.port());
            String body = "{\"player_id\":\"private-player-body\"}";
            HttpResponse<String> ok = http.post("/quest/generate", body, "Authorization", SECRET,
                                                "X-User-ID", "u-1", "Cookie", "session=c00kie");
            String requestId = GenerateQuestRequest.parseFrom(svc.next().getData()).getMeta().getRequestId();
            HttpResponse<String> bad = http.post("/quest/generate", "{", "Authorization", SECRET);
            http.get("/nowhere");

            List<JsonObject> lines = log.await(3);
            assertThat(lines.size(), is(3));
            JsonObject first = lines.get(0);
            assertThat(first.get("route").getAsString(), is("quest-generate"));
            assertThat(first.get("status").getAsInt(), is(200));
            assertThat(first.get("trace_id").getAsString(), is(ok.headers().firstValue("X-Trace-ID").orElseThrow()));
            assertThat(first.get("request_id").getAsString(), is(requestId));
            assertThat(first.get("bytes_in").getAsLong(), is((long) body.length()));
            assertThat(first.get("bytes_out").getAsLong(), greaterThan((long) ok.body().length()));
            assertThat(first.get("duration_ms").getAsDouble(), greaterThanOrEqualTo(first.get("nats_ms").getAsDouble()));
            assertThat(first.get("error").isJsonNull(), is(true));

            JsonObject second = lines.get(1);
            assertThat(second.get("status").getAsInt(), is(400));
            assertThat(second.get("error").getAsString(), is("INVALID_ARGUMENT"));
            assertThat(second.get("nats_ms").isJsonNull(), is(true));
            assertThat(second.get("trace_id").getAsString(), is(bad.headers().firstValue("X-Trace-ID").orElseThrow()));

            JsonObject third = lines.get(2);
            assertThat(third.get("route").getAsString(), is("none"));
            assertThat(third.get("status").getAsInt(), is(404));
            assertThat(third.get("error").getAsString(), is("NOT_FOUND"));

            for (String line : log.lines) {
                assertThat(line, not(containsString("s3cr3t")));
                assertThat(line.toLowerCase(), not(containsString("authorization")));
                assertThat(line, not(containsString("private-player-body")));
                assertThat(line, not(containsString("c00kie")));
                assertThat(line, not(containsString("u-1")));
                assertThat(line, not(containsString("/nowhere")));
            }
        }
    }

    @Test
    void offWhenDisabled() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Gateway gateway = TestGateway.start(nats.url(), Map.of("gateway.access-log.enabled", "false"));
             AccessLogCapture log = new AccessLogCapture()) {
            Http http = new Http(gateway.port());
            http.post("/quest/generate", "{");
            http.get("/nowhere");
            Thread.sleep(200);
            assertThat(log.lines.size(), is(0));
        }
    }
}
