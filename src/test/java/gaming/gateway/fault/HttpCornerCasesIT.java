package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.NatsServer;
import gaming.testing.Problems;

import com.google.protobuf.Struct;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP and JSON corner cases of issue 12 (part B, items 7 to 17), each with the input the
 * issue names and further inputs of the same kind, against the real gateway with healthy services
 * on all nine subjects. Raw sockets where {@code java.net.http} would refuse or normalise the input.
 */
@Tag("fault")
class HttpCornerCasesIT {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final String SMUGGLED = "POST /ai/models/m1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";

    private static HealthyGateway fixture;
    private static Gateway gateway;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        fixture = HealthyGateway.start();
        gateway = fixture.gateway();
        http = fixture.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static NineServices services() {
        return fixture.services();
    }

    // ---- 7: a body within MAX_BODY_BYTES whose NATS message is larger than the server takes

    @Test
    void aRequestLargerThanTheNatsMaxPayloadIs413OnEveryRouteAndTheStreamingPath() {
        int before = services().received();
        // the input: an infer request padded to exactly 1 MiB
        String infer = padded("{\"input\":{\"prompt\":\"", "\"}}", 1_048_576);
        assertEquals(1_048_576, infer.length());
        // a Struct of zeros grows about 5x as Protobuf: a quarter of the limit is enough
        String zeros = "{\"key\":\"k\",\"state\":{\"z\":[" + "0,".repeat(120_000) + "0]}}";
        // a long string on another route, and the streaming path of infer
        String quest = "{\"player_id\":\"p\",\"region\":\"" + "q".repeat(1_048_500) + "\"}";
        assertAll(
                () -> assertTooLarge(http.post("/ai/llm/infer", infer)),
                () -> assertTooLarge(http.post("/state/update", zeros)),
                () -> assertTooLarge(http.post("/quest/generate", quest)),
                () -> assertTooLarge(http.post("/ai/llm/infer", padded("{\"params\":{\"stream\":true},\"input\":{\"prompt\":\"",
                                                                     "\"}}", 1_048_576), "Accept", "text/event-stream")));
        assertEquals(before, services().received(), "nothing reached NATS");
        assertTrue(gateway.natsConnected(), "the NATS connection is still up");
        assertEquals(200, http.post("/ai/models", "{}").statusCode());
    }

    @Test
    void theLimitIsTheOneTheConnectedServerAnnounces() throws Exception {
        Path conf = Files.createTempFile("nats-max-payload", ".conf");
        Files.writeString(conf, "max_payload: 65536\n");
        try (NatsServer small = NatsServer.start("-c", conf.toString());
             Connection service = FaultKit.service(small.url());
             NineServices nine = new NineServices(service);
             Gateway gw = FaultKit.gateway(small.url(), Map.of())) {
            Awaits.until(gw::natsConnected, Duration.ofSeconds(10), "the gateway to connect");
            Http client = new Http(gw.port());
            assertEquals(200, client.post("/quest/generate", "{\"region\":\"" + "c".repeat(60_000) + "\"}").statusCode());
            Struct problem = Problems.assertProblem(
                    client.post("/quest/generate", "{\"region\":\"" + "c".repeat(70_000) + "\"}"), 413, "PAYLOAD_TOO_LARGE");
            assertTrue(problem.getFieldsOrThrow("detail").getStringValue().endsWith("the NATS server accepts at most 65536 bytes"),
                       problem.toString());
            assertEquals(1, nine.received(), "only the request that fits reached NATS");
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    // ---- 8: paths that only match a route after normalisation

    @Test
    void aPathThatOnlyMatchesARouteAfterNormalisationIs400() {
        int before = services().received();
        assertAll(
                () -> assertRawProblem(raw("POST /ai/models;x/m1/select", ""), 400, "INVALID_ARGUMENT",
                                "';' in the path: path segment parameters are not supported"),
                () -> assertRawProblem(raw("POST /ai/models/m1/select;v=1", ""), 400, "INVALID_ARGUMENT",
                                "';' in the path: path segment parameters are not supported"),
                () -> assertRawProblem(raw("POST /ai/models/m1/%73elect", ""), 400, "INVALID_ARGUMENT",
                                "percent-encoded 's' in the path: send it unencoded"),
                () -> assertRawProblem(raw("POST /ai/%6Dodels/m1", ""), 400, "INVALID_ARGUMENT",
                                "percent-encoded 'm' in the path: send it unencoded"),
                () -> assertRawProblem(raw("POST /ai/models/m1/select/", ""), 400, "INVALID_ARGUMENT",
                                "empty, '.' or '..' segment in the path"),
                () -> assertRawProblem(raw("GET /health;x", ""), 400, "INVALID_ARGUMENT",
                                "';' in the path: path segment parameters are not supported"),
                () -> assertRawProblem(raw("GET /metrics/", ""), 400, "INVALID_ARGUMENT",
                                "empty, '.' or '..' segment in the path"));
        assertEquals(before, services().received(), "nothing reached NATS");
        // an encoded character that is not unreserved stays allowed: it cannot spell a route's literal segment
        assertEquals(200, RawHttp.exchange(gateway.port(), "POST /ai/models/m%3A1 HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 2\r\n", "{}".getBytes(StandardCharsets.US_ASCII), TIMEOUT_MILLIS).status());
        fixture.resetServices();
    }

    // ---- 9: an early final status must not let the unread body be read as the next request

    @Test
    void anEarlyResponseToARequestWhoseBodyMayStillComeClosesTheConnection() {
        byte[] smuggled = SMUGGLED.getBytes(StandardCharsets.US_ASCII);
        String expect = "Expect: 100-continue\r\nContent-Length: " + smuggled.length + "\r\n";
        int before = services().received();
        assertAll(
                // the input: 415 before the body
                () -> assertClosedAfter(415, "POST /ai/models HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n" + expect),
                () -> assertClosedAfter(404, "POST /nothing HTTP/1.1\r\nHost: x\r\n" + expect),
                () -> assertClosedAfter(405, "PUT /ai/models HTTP/1.1\r\nHost: x\r\n" + expect),
                () -> assertClosedAfter(405, "POST /health HTTP/1.1\r\nHost: x\r\n" + expect),
                () -> assertClosedAfter(400, "POST /ai/models;x HTTP/1.1\r\nHost: x\r\n" + expect),
                () -> assertClosedAfter(413, "POST /ai/models HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 2000000\r\n"),
                // no Expect: a 413 for a body more than 2 MiB too long leaves the rest unread, which must not
                // be taken as a request either (a shorter one is read and dropped: ErrorsIT)
                () -> assertClosedAfter(413, "POST /ai/models HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n"));
        assertEquals(before, services().received(), "the body was never taken as a request");
    }

    @Test
    void expectContinueStillWorksWhenTheBodyIsWanted() {
        HttpRequest request = http.request("/ai/models")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        assertEquals(200, http.send(request).statusCode());
    }

    private static void assertClosedAfter(int status, String head) {
        RawHttp.Response[] answers = RawHttp.earlyResponseThenSend(gateway.port(), head,
                                                                   SMUGGLED.getBytes(StandardCharsets.US_ASCII), TIMEOUT_MILLIS);
        assertEquals(status, answers[0].status(), head + " -> " + answers[0]);
        assertEquals("close", answers[0].header("connection"), head + " -> " + answers[0]);
        assertEquals(-1, answers[1].status(), "the body was read as a request: " + head + " -> " + answers[1]);
    }

    // ---- 10: stream negotiation by the weights of Accept

    @Test
    void streamNegotiationFollowsTheAcceptWeights() {
        String flagged = "{\"params\":{\"stream\":true},\"input\":{\"prompt\":\"hi\"}}";
        String plain = "{\"input\":{\"prompt\":\"hi\"}}";
        assertAll(
                // the input: q=0 is "not acceptable"
                () -> assertAnswerType(flagged, "text/event-stream;q=0, application/json", "application/json"),
                () -> assertAnswerType(flagged, "application/json, text/event-stream;q=0.5", "application/json"),
                () -> assertAnswerType(flagged, "text/*;q=0, */*", "application/json"),
                () -> assertAnswerType(flagged, "*/*", "text/event-stream"),
                () -> assertAnswerType(plain, "application/json;q=0.5, text/event-stream;q=0.9", "text/event-stream"),
                () -> assertAnswerType(plain, "TEXT/Event-Stream", "text/event-stream"),
                () -> assertAnswerType(plain, "application/json, text/event-stream;q=0", "application/json"),
                () -> Problems.assertProblem(http.post("/ai/llm/infer", flagged, "Accept", "text/event-stream;q=2"),
                                             400, "INVALID_ARGUMENT"),
                () -> Problems.assertProblem(http.post("/ai/llm/infer", flagged, "Accept", "text/event-stream;q=0.1234"),
                                             400, "INVALID_ARGUMENT"));
    }

    private static void assertAnswerType(String body, String accept, String contentType) {
        HttpResponse<String> response = http.post("/ai/llm/infer", body, "Accept", accept);
        assertEquals(200, response.statusCode(), accept + " -> " + response.body());
        assertEquals(contentType, response.headers().firstValue("Content-Type").orElse("").split(";")[0],
                     accept + " -> " + response.body());
    }

    // ---- 11: lone UTF-16 surrogate escapes

    @Test
    void aLoneSurrogateEscapeIs400AndAPairIsTaken() {
        int before = services().received();
        assertAll(
                () -> assertBadJson("/state/update", "{\"key\":\"player:\\ud800\",\"state\":{\"owner\":\"A\"}}",
                                    "invalid JSON for UpdateStateRequest at line 1 column 16: \\ud800 is half of a UTF-16 "
                                            + "surrogate pair without the other half; strings must be Unicode text"),
                () -> assertBadJson("/state/update", "{\"key\":\"k\",\"state\":{\"owner\":\"\\uDC00A\"}}",
                                    "invalid JSON for UpdateStateRequest at line 1 column 30: \\uDC00 is half of a UTF-16 "
                                            + "surrogate pair without the other half; strings must be Unicode text"),
                () -> assertBadJson("/ai/models/m1/select", "{\n\"tenant\":\"\\ud83d\\u0041\"}",
                                    "invalid JSON for SelectModelRequest at line 2 column 11: \\ud83d is half of a UTF-16 "
                                            + "surrogate pair without the other half; strings must be Unicode text"),
                () -> assertBadJson("/quest/generate", "{\"\\udbff\":1}",
                                    "invalid JSON for GenerateQuestRequest at line 1 column 3: \\udbff is half of a UTF-16 "
                                            + "surrogate pair without the other half; strings must be Unicode text"));
        assertEquals(before, services().received(), "nothing reached NATS");
        // a whole pair, and an escaped backslash before "ud800", are text
        assertEquals(200, http.post("/state/update", "{\"key\":\"k\",\"state\":{\"o\":\"\\ud83d\\ude00\"}}").statusCode());
        assertEquals(200, http.post("/state/update", "{\"key\":\"k\",\"state\":{\"o\":\"\\\\ud800\"}}").statusCode());
        fixture.resetServices();
    }

    // ---- 12: media types as RFC 9110 8.3.1 defines them

    @Test
    void contentTypesAreParsedAsMediaTypes() {
        assertAll(
                () -> assertEquals(200, postAs("APPLICATION/JSON").statusCode()),
                () -> assertEquals(200, postAs("application/json ; charset=UTF-8").statusCode()),
                () -> assertEquals(200, postAs("Application/Json;charset=\"utf-8\"").statusCode()),
                () -> assertEquals(200, postAs("application/VND.game+JSON").statusCode()),
                () -> Problems.assertProblem(postAs("application/json; charset=iso-8859-1"), 415, "UNSUPPORTED_MEDIA_TYPE"),
                () -> Problems.assertProblem(postAs("application/ json"), 415, "UNSUPPORTED_MEDIA_TYPE"),
                () -> Problems.assertProblem(postAs("text/json"), 415, "UNSUPPORTED_MEDIA_TYPE"),
                () -> Problems.assertProblem(postAs("application/json", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"));
        fixture.resetServices();
    }

    /** POST {} to /ai/models with these Content-Type field lines, and no other. */
    private static HttpResponse<String> postAs(String... contentTypes) {
        HttpRequest.Builder request = http.request("/ai/models").POST(HttpRequest.BodyPublishers.ofString("{}"));
        for (String type : contentTypes) {
            request.header("Content-Type", type);
        }
        return http.send(request.build());
    }

    // ---- 13: HEAD wherever GET works; other methods 405 with Allow

    @Test
    void headWorksWhereGetDoesAndOtherMethodsGet405WithAllow() {
        HttpResponse<String> get = http.get("/health");
        HttpResponse<String> head = http.send(http.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
                     head.headers().firstValue("Content-Length").orElse("none"));
        assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
        HttpResponse<String> metricsHead = http.send(http.request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, metricsHead.statusCode());
        assertEquals("text/plain", metricsHead.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> observeHead = http.send(http.request("/observe/metrics").method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, observeHead.statusCode());
        assertEquals("", observeHead.body());
        for (String[] call : new String[][] {{"POST", "/health"}, {"PUT", "/health"}, {"DELETE", "/metrics"}, {"POST", "/metrics"}}) {
            HttpResponse<String> response = http.send(http.request(call[1]).method(call[0], HttpRequest.BodyPublishers.noBody()).build());
            Struct problem = Problems.assertProblem(response, 405, "METHOD_NOT_ALLOWED");
            assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""), call[0] + " " + call[1]);
            assertEquals(call[0] + " is not allowed here; use GET or HEAD", problem.getFieldsOrThrow("detail").getStringValue());
        }
    }

    // ---- 14: HTTP/1.0

    @Test
    void http10IsServedWithoutKeepAliveOrStreams() {
        int before = services().received();
        byte[] json = "{}".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response health = RawHttp.exchange(gateway.port(), "GET /health HTTP/1.0\r\n", new byte[0], TIMEOUT_MILLIS);
        assertEquals(200, health.status(), health.toString());
        assertEquals("{\"status\":\"healthy\",\"nats_connected\":true,\"routes\":9}", health.body());
        RawHttp.Response post = RawHttp.exchange(gateway.port(), "POST /ai/models HTTP/1.0\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n", json, TIMEOUT_MILLIS);
        assertEquals(200, post.status(), post.toString());
        // a stream asked for over HTTP/1.0 is answered as JSON: chunked transfer coding is HTTP/1.1 only
        byte[] stream = "{\"params\":{\"stream\":true},\"input\":{\"prompt\":\"hi\"}}".getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response infer = RawHttp.exchange(gateway.port(), "POST /ai/llm/infer HTTP/1.0\r\nAccept: text/event-stream\r\n"
                + "Content-Length: " + stream.length + "\r\n", stream, TIMEOUT_MILLIS);
        assertEquals(200, infer.status(), infer.toString());
        assertEquals("application/json", infer.header("content-type"), infer.toString());
        assertEquals("", infer.header("transfer-encoding"), infer.toString());
        // keep-alive asked for: answered, then the connection is closed
        RawHttp.Response[] kept = RawHttp.earlyResponseThenSend(gateway.port(), "GET /health HTTP/1.0\r\n"
                + "Connection: keep-alive\r\n", "GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                                                                TIMEOUT_MILLIS);
        assertEquals(200, kept[0].status(), kept[0].toString());
        assertEquals(-1, kept[1].status(), "a second request on the HTTP/1.0 connection: " + kept[1]);
        assertEquals(before + 2, services().received());
        // the marker is the gateway's own: sent by a client over HTTP/1.1, it does not stop a stream
        HttpResponse<String> forged = http.post("/ai/llm/infer", "{\"input\":{\"prompt\":\"hi\"}}",
                                                "Accept", "text/event-stream", "Gateway-Request-Version", "HTTP/1.0");
        assertEquals("text/event-stream", forged.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        fixture.resetServices();
    }

    // ---- 15: chunk extensions and trailers (RFC 9112 7.1: extensions ignored, trailers allowed)

    @Test
    void chunkExtensionsAndTrailersAreAccepted() {
        int before = services().received();
        String chunked = "Transfer-Encoding: chunked\r\n";
        assertAll(
                // the input
                () -> assertEquals(200, raw("POST /ai/models", chunked, "2;ext=1\r\n{}\r\n0\r\n\r\n").status()),
                () -> assertEquals(200, raw("POST /ai/models", chunked, "1 ; a=\"x;y\"\r\n{\r\n1;b\r\n}\r\n0;last\r\n\r\n")
                        .status()),
                () -> assertEquals(200, raw("POST /ai/models", chunked, "2\r\n{}\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n")
                        .status()),
                () -> assertEquals(200, raw("POST /state/update", chunked,
                                            "a;e\r\n{\"key\":\"k\"\r\n1\r\n}\r\n0\r\nDigest: x\r\n\r\n").status()));
        assertEquals(before + 4, services().received(), "each body reached its service");
        // a chunk size that is not hex is still a 400
        assertRawProblem(raw("POST /ai/models", chunked, "zz\r\n{}\r\n0\r\n\r\n"), 400, "INVALID_ARGUMENT",
                         "malformed chunked body: a chunk size must be hex digits only");
        fixture.resetServices();
    }

    // ---- 16: error details in the gateway's words

    @Test
    void malformedJsonIsDescribedInTheGatewaysWords() {
        assertAll(
                () -> assertBadJson("/ai/models", "{\"provider\":\"x\" \"y\"}",
                                    "invalid JSON for ListModelsRequest at line 1 column 18 ($.provider): "
                                            + "expected ',' or '}' after a field's value"),
                () -> assertBadJson("/ai/models", "{'provider':1}",
                                    "invalid JSON for ListModelsRequest at line 1 column 3: not strict JSON "
                                            + "(comments, single quotes, unquoted names and values, or text after the object)"),
                () -> assertBadJson("/ai/models", "{\"provider\" 1}",
                                    "invalid JSON for ListModelsRequest at line 1 column 14 ($.provider): expected ':' after a field name"),
                () -> assertBadJson("/ai/models", "{\"provider\":\"x",
                                    "invalid JSON for ListModelsRequest at line 1 column 15 ($.provider): a string is not closed"),
                () -> assertBadJson("/ai/models", "[1]",
                                    "invalid JSON for ListModelsRequest: the body must be a JSON object"),
                () -> assertBadJson("/state/update", "{\"key\":\"k\",\"state\":{\"a\":}}",
                                    "invalid JSON for UpdateStateRequest at line 1 column 25 ($.state.a): expected a value"));
    }

    private static void assertBadJson(String path, String json, String detail) {
        HttpResponse<String> response = http.post(path, json);
        Struct problem = Problems.assertProblem(response, 400, "INVALID_ARGUMENT");
        assertEquals(detail, problem.getFieldsOrThrow("detail").getStringValue(), json);
    }

    // ---- 17: codings the gateway does not decode

    @Test
    void unsupportedCodingsAreNamedAndNotGatewayFailures() {
        String chunkedBody = "2\r\n{}\r\n0\r\n\r\n";
        assertAll(
                () -> assertRawProblem(raw("POST /ai/models", "Transfer-Encoding: gzip, chunked\r\n", chunkedBody), 501,
                                       "UNSUPPORTED_TRANSFER_CODING", "only the chunked transfer coding is supported; send "
                                               + "the body with Content-Length or Transfer-Encoding: chunked"),
                () -> assertRawProblem(raw("POST /ai/models", "Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n",
                                           chunkedBody), 501, "UNSUPPORTED_TRANSFER_CODING", "only the chunked transfer "
                                               + "coding is supported; send the body with Content-Length or Transfer-Encoding: chunked"),
                () -> assertUnsupportedEncoding(raw("POST /ai/models", "Content-Encoding: gzip\r\nContent-Length: 2\r\n", "{}"), "gzip"),
                () -> assertUnsupportedEncoding(raw("POST /ai/models", "Content-Encoding: br\r\nContent-Length: 2\r\n", "{}"), "br"),
                () -> assertUnsupportedEncoding(raw("POST /state/update", "Content-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n",
                                                    chunkedBody), "deflate"));
    }

    private static void assertUnsupportedEncoding(RawHttp.Response response, String coding) {
        assertRawProblem(response, 415, "UNSUPPORTED_CONTENT_ENCODING",
                         "Content-Encoding " + coding + " is not supported; send the body without a content coding");
        assertEquals("identity", response.header("accept-encoding"));
    }

    /** {@code requestLine} with Host, {@code headers} (each ending in CRLF) and {@code body}, over a raw socket. */
    private static RawHttp.Response raw(String requestLine, String headers, String body) {
        return RawHttp.exchange(gateway.port(), requestLine + " HTTP/1.1\r\nHost: x\r\n" + headers,
                                body.getBytes(StandardCharsets.US_ASCII), TIMEOUT_MILLIS);
    }

    private static RawHttp.Response raw(String requestLine, String body) {
        return raw(requestLine, "Content-Length: " + body.length() + "\r\n", body);
    }

    private static void assertRawProblem(RawHttp.Response response, int status, String code, String detail) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("application/problem+json", response.header("content-type"), response.toString());
        Struct problem = Problems.parse(response.body());
        assertEquals(code, problem.getFieldsOrThrow("code").getStringValue(), response.toString());
        assertEquals(detail, problem.getFieldsOrThrow("detail").getStringValue(), response.toString());
    }

    /** {@code head}, then {@code x}s, then {@code tail}: {@code length} characters in all. */
    private static String padded(String head, String tail, int length) {
        return head + "x".repeat(length - head.length() - tail.length()) + tail;
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        Struct problem = Problems.assertProblem(response, 413, "PAYLOAD_TOO_LARGE");
        assertTrue(problem.getFieldsOrThrow("detail").getStringValue().endsWith("the NATS server accepts at most 1048576 bytes"),
                   problem.toString());
    }
}
