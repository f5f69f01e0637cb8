package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.Http;
import gaming.testing.Problems;
import gaming.services.ReferenceServices;
import gaming.testing.NatsServer;

import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hostile-input list of issue 6, each item against the real gateway with healthy services on
 * all nine subjects: answered with problem+json 4xx, never 5xx, never a hang, and nothing reaches
 * NATS when the gateway rejects. Raw sockets where {@code java.net.http} would refuse or normalise
 * the input. One dynamic test per input, so that a run lists every input that fails.
 */
@Tag("fault")
class HostileInputFaultIT {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Expect BAD_REQUEST = new Expect(400, "INVALID_ARGUMENT");
    private static final Expect PAYLOAD_TOO_LARGE = new Expect(413, "PAYLOAD_TOO_LARGE");
    private static final Expect UNSUPPORTED_MEDIA_TYPE = new Expect(415, "UNSUPPORTED_MEDIA_TYPE");
    private static final Expect METHOD_NOT_ALLOWED = new Expect(405, "METHOD_NOT_ALLOWED");
    private static final Expect NOT_FOUND = new Expect(404, "NOT_FOUND");
    private static final Expect URI_TOO_LONG = new Expect(414, "URI_TOO_LONG");
    /** Taken: an input the gateway accepts, which goes to a healthy service. */
    private static final Expect OK = new Expect(200, null);

    private static HealthyGateway fixture;
    private static NineServices services;
    private static Gateway gateway;
    private static Http http;

    /** What came back, from java.net.http or a raw socket. */
    private record Answer(int status, String contentType, String allow, String body, long millis) {
    }

    /** The exact answer an input gets: its status and, for an error, its problem {@code code}. */
    private record Expect(int status, String code) {
    }

    private record Case(String group, String name, Supplier<Answer> send, Expect expected) {
    }

    @BeforeAll
    static void start() throws Exception {
        fixture = HealthyGateway.start();
        gateway = fixture.gateway();
        http = fixture.http();
        // the services answer: a valid request on every route is a 200
        for (String path : NineServices.PATHS.values()) {
            assertEquals(200, http.post(path, "{}").statusCode(), path);
        }
        fixture.resetServices();
        services = fixture.services();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyHostileInputIsA4xxProblemAndNothingReachesNats() {
        List<Case> cases = new ArrayList<>();
        malformedAndDeepJson(cases);
        wrongTypes(cases);
        hugeNumbers(cases);
        invalidUtf8(cases);
        oversizedBodies(cases);
        contentTypes(cases);
        methodsAndPaths(cases);
        headers(cases);
        pathParameters(cases);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.group() + ": " + c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        int before = services.received();
        Answer answer = c.send().get();
        String what = c.name() + " -> " + answer.status() + " " + answer.contentType() + " " + abbreviate(answer.body());
        assertTrue(answer.millis() < TIMEOUT_MILLIS, "took " + answer.millis() + " ms: " + what);
        assertTrue(answer.status() < 500, "a 5xx for client input: " + what);
        assertEquals(c.expected().status(), answer.status(), "status of " + what);
        if (answer.status() < 300) {
            return; // an input the gateway may take (listed as such): it went to a healthy service
        }
        assertEquals(before, services.received(), "the gateway rejected it but sent it to NATS: " + what);
        if (answer.status() == 405) {
            assertEquals("POST", answer.allow(), "Allow of " + what);
        }
        assertEquals("application/problem+json", answer.contentType(), "content type of " + what);
        if (!c.name().startsWith("HEAD")) {
            Problems.assertProblem(what, answer.status(), answer.contentType(), answer.body(), c.expected().status(),
                                   c.expected().code());
        }
    }

    /**
     * {@code 1e999} in a {@code google.protobuf.Struct} parses as Infinity, which protobuf cannot
     * print back as JSON: with the reference state service, one update would make every later read
     * of that key fail. The update must be a 400, and a stored non-finite number must never make
     * the gateway answer 5xx for a read (a reply it cannot print is the service's fault: 502).
     */
    @Test
    void aNumberBeyondDoubleInAStateIsRejectedAndNeverPoisonsReads() throws Exception {
        try (NatsServer own = NatsServer.start();
             Connection conn = FaultKit.service(own.url());
             ReferenceServices reference = ReferenceServices.start(conn);
             Gateway gw = FaultKit.gateway(own.url(), Map.of("gateway.nats.timeout-seconds", "5"))) {
            Http h = new Http(gw.port());
            HttpResponse<String> update = h.post("/state/update", "{\"key\":\"poison\",\"state\":{\"gold\":1e999}}",
                                                 "X-Tenant-ID", "fault");
            HttpResponse<String> read = h.post("/state/get", "{\"key\":\"poison\"}", "X-Tenant-ID", "fault");
            System.out.printf("[fault] state 1e999: update -> %d %s; get -> %d %s%n", update.statusCode(), update.body(),
                              read.statusCode(), read.body());
            assertAll(() -> assertTrue(read.statusCode() < 500 || read.statusCode() == 502,
                                       "reading the stored state: " + read.statusCode() + " " + read.body()),
                      () -> assertEquals(400, update.statusCode(), "update with 1e999: " + update.body()));
        }
    }

    // ---- the list ----

    private static void malformedAndDeepJson(List<Case> cases) {
        String g = "malformed JSON";
        for (String body : List.of("{\"region\": ", "{\"region\":\"r\",}", "{'region':'r'}", "{region:\"r\"}",
                                   "{\"region\":\"r\"} {}", "{\"region\":\"r\"}]", "/* c */ {}", "{\"region\":\"r",
                                   "{\"region\":\"\\u12\"}", "nul", "{\"player_level\":01}", "{\"player_level\":NaN}",
                                   "{\"region\":\"r\"\u0000}", "{\"region\" \"r\"}", "{,}", "}")) {
            cases.add(json(g, "/quest/generate", body, BAD_REQUEST));
        }
        g = "deep JSON";
        cases.add(json(g, "/quest/generate", "[".repeat(10_000), BAD_REQUEST));
        cases.add(json(g, "/npc/behavior", "[".repeat(10_000) + "]".repeat(10_000), BAD_REQUEST));
        cases.add(json(g, "/ai/llm/infer", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), BAD_REQUEST));
        cases.add(json(g, "/state/update", "{\"key\":\"k\",\"state\":" + "{\"a\":".repeat(150) + "1" + "}".repeat(151),
                       BAD_REQUEST));
        cases.add(json(g, "/state/update", "{\"key\":\"k\",\"state\":{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}}",
                       BAD_REQUEST));
        cases.add(json(g, "/npc/behavior", "{\"stimuli\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}", BAD_REQUEST));
    }

    private static void wrongTypes(List<Case> cases) {
        String g = "wrong types";
        Map<String, List<String>> bodies = Map.of(
                "/quest/generate", List.of("{\"player_level\":\"high\"}", "{\"player_level\":true}",
                                           "{\"player_level\":1.5}", "{\"player_level\":[1]}", "{\"player_level\":{}}",
                                           "{\"region\":{}}", "{\"region\":[\"r\"]}", "{\"meta\":\"x\"}",
                                           "[1,2]", "\"text\"", "42", "true", "null"),
                "/ai/llm/infer", List.of("{\"input\":\"hello\"}", "{\"params\":{\"stream\":\"yes\"}}",
                                         "{\"params\":{\"stop\":\"x\"}}", "{\"params\":{\"temperature\":\"hot\"}}",
                                         "{\"params\":[]}"),
                "/npc/behavior", List.of("{\"stimuli\":{}}", "{\"npc_state\":{\"health\":\"full\"}}",
                                         "{\"stimuli\":[{\"position\":5}]}"),
                "/state/update", List.of("{\"state\":[1,2]}", "{\"state\":\"x\"}", "{\"expected_version\":\"abc\"}",
                                         "{\"expected_version\":{}}"),
                "/ai/llm/cancel", List.of("{\"generation_id\":{\"a\":1}}"),
                // an id that must be printable ASCII (it also travels as a NATS header), given in the body
                "/ai/llm/infer#", List.of("{\"idempotency_key\":\"caf\u00e9\"}", "{\"idempotency_key\":\"a\\nb\"}",
                                          "{\"idempotency_key\":\"a\\u0000b\"}"),
                "/ai/models/m1/select", List.of("{\"model_id\":[]}"));
        bodies.forEach((path, list) -> list.forEach(body -> cases.add(json(g, path.replace("#", ""), body, BAD_REQUEST))));
    }

    private static void hugeNumbers(List<Case> cases) {
        String g = "huge numbers";
        for (String body : List.of("{\"player_level\":1e999}", "{\"player_level\":-1e999}",
                                   "{\"player_level\":99999999999999999999}", "{\"player_level\":2147483648}",
                                   "{\"player_level\":-2147483649}", "{\"player_level\":\"99999999999999999999\"}",
                                   "{\"seed\":99999999999999999999}", "{\"seed\":\"99999999999999999999\"}",
                                   "{\"seed\":1e999}", "{\"seed\":1e-1000000000}", "{\"player_level\":1e1000000000}",
                                   "{\"player_level\":" + "9".repeat(100_000) + "}")) {
            cases.add(json(g, "/quest/generate", body, BAD_REQUEST));
        }
        cases.add(json(g, "/npc/behavior", "{\"npc_state\":{\"health\":1e999}}", BAD_REQUEST));
        cases.add(json(g, "/npc/behavior", "{\"stimuli\":[{\"intensity\":-1e999}]}", BAD_REQUEST));
        cases.add(json(g, "/ai/llm/infer", "{\"params\":{\"max_tokens\":99999999999999999999}}", BAD_REQUEST));
        cases.add(json(g, "/state/update", "{\"key\":\"k\",\"expected_version\":99999999999999999999}", BAD_REQUEST));
        // google.protobuf.Value cannot hold Infinity (proto3 JSON): a number that overflows a double is invalid
        cases.add(json(g, "/state/update", "{\"key\":\"k\",\"state\":{\"gold\":1e999}}", BAD_REQUEST));
    }

    private static void invalidUtf8(List<Case> cases) {
        String g = "invalid UTF-8";
        int[][] sequences = {{0xC3, 0x28}, {0xFF, 0xFE}, {0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0xE2, 0x82},
                             {0xF8, 0x88, 0x80, 0x80, 0x80}, {0x80}};
        for (int[] sequence : sequences) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"region\":\"a".getBytes(StandardCharsets.US_ASCII));
            for (int b : sequence) {
                body.write(b);
            }
            body.writeBytes("b\"}".getBytes(StandardCharsets.US_ASCII));
            String name = "bytes " + Arrays.toString(Arrays.stream(sequence).mapToObj(Integer::toHexString).toArray());
            cases.add(new Case(g, name, () -> post("/quest/generate", body.toByteArray(), "application/json"), BAD_REQUEST));
        }
        byte[] nameBytes = "{\"re\u00ffion\":1}".getBytes(StandardCharsets.ISO_8859_1);
        cases.add(new Case(g, "latin-1 byte in a name", () -> post("/quest/generate", nameBytes, "application/json"),
                           BAD_REQUEST));
    }

    private static void oversizedBodies(List<Case> cases) {
        String g = "oversized body";
        int max = 1024 * 1024;
        byte[] big = ("{\"region\":\"" + "x".repeat(max) + "\"}").getBytes(StandardCharsets.US_ASCII);
        cases.add(new Case(g, "Content-Length 1 MiB + 13", () -> post("/quest/generate", big, "application/json"),
                           PAYLOAD_TOO_LARGE));
        cases.add(raw(g, "Content-Length 1 GiB, no body sent", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1073741824\r\n", new byte[0], PAYLOAD_TOO_LARGE));
        cases.add(raw(g, "Content-Length 2^63 - 1", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 9223372036854775807\r\n", new byte[0], PAYLOAD_TOO_LARGE));
        cases.add(raw(g, "Content-Length past a long", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n", new byte[0],
                      BAD_REQUEST));
        cases.add(raw(g, "Content-Length -5", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: -5\r\n", "{}".getBytes(), BAD_REQUEST));
        cases.add(raw(g, "Content-Length abc", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: abc\r\n", "{}".getBytes(), BAD_REQUEST));
        cases.add(raw(g, "two different Content-Lengths", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 5\r\n", "{}".getBytes(),
                      BAD_REQUEST));
        cases.add(raw(g, "chunked, 2 MiB", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", chunked(2 * max), PAYLOAD_TOO_LARGE));
        cases.add(raw(g, "chunked, chunk size not hex", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                      "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), BAD_REQUEST));
        byte[] hugeChunk = ("80000000\r\n{\"region\":\"" + "x".repeat(max + 100_000)).getBytes(StandardCharsets.US_ASCII);
        cases.add(raw(g, "chunked, one chunk of 2 GiB announced, 1.1 MiB sent", "POST /quest/generate HTTP/1.1\r\n"
                + "Host: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n", hugeChunk,
                      // a chunk size above 2^31-1 does not parse in Helidon: a malformed body (400)
                      BAD_REQUEST));
    }

    private static void contentTypes(List<Case> cases) {
        String g = "content type";
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                                   "application/x-www-form-urlencoded", "application/jsonx", "image/png",
                                   "text/json", "application/octet-stream", "application/x-protobuf")) {
            cases.add(new Case(g, type, () -> post("/quest/generate", "{}".getBytes(), type), UNSUPPORTED_MEDIA_TYPE));
        }
        for (String type : List.of("garbage", "application/", "/json", "application/json;charset", ";;;",
                                   "application/json; charset=\"", "*/*", "application/*")) {
            cases.add(raw(g, "malformed: " + type, "POST /quest/generate HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                    + "\r\nContent-Length: 2\r\n", "{}".getBytes(), UNSUPPORTED_MEDIA_TYPE));
        }
    }

    private static void methodsAndPaths(List<Case> cases) {
        String g = "wrong method";
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO")) {
            for (String path : List.of("/quest/generate", "/ai/models/m1/select")) {
                cases.add(new Case(g, method + " " + path, () -> send(http.request(path)
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build()), METHOD_NOT_ALLOWED));
            }
        }
        cases.add(raw(g, "HEAD /state/get", "HEAD /state/get HTTP/1.1\r\nHost: x\r\n", new byte[0], METHOD_NOT_ALLOWED));
        cases.add(raw(g, "TRACE /state/get", "TRACE /state/get HTTP/1.1\r\nHost: x\r\n", new byte[0], METHOD_NOT_ALLOWED));
        g = "unknown path";
        for (String path : List.of("/nope", "/", "/ai", "/ai/llm", "/quest/generate/extra", "/ai/models/m1/select/x",
                                   "/QUEST/GENERATE", "/quest/generate.json")) {
            cases.add(new Case(g, path, () -> send(http.request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), NOT_FOUND));
        }
        // a target that is not a path in the routes' canonical form (an encoded '/' or unreserved
        // character, an empty, '.' or '..' segment, no leading '/': http/RequestTarget) is refused
        // (400) before routing; the others match no route
        Map<String, Expect> targets = new LinkedHashMap<>();
        targets.put("/%00", NOT_FOUND);
        targets.put("/quest%2Fgenerate", BAD_REQUEST);
        targets.put("/quest/generate%00", NOT_FOUND);
        targets.put("/..%2F..%2Fetc%2Fpasswd", BAD_REQUEST);
        targets.put("/quest/%2e%2e/state/get", BAD_REQUEST);
        targets.put("*", BAD_REQUEST);
        targets.put("/ai/llm/infer/", BAD_REQUEST);
        String unknown = g;
        targets.forEach((target, expected) -> cases.add(raw(unknown, "raw " + target, "POST " + target
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n", "{}".getBytes(),
                expected)));
    }

    private static void headers(List<Case> cases) {
        String g = "header bytes";
        Object[][] bad = {
                {"X-Trace-ID", new byte[]{'a', 0x01, 'b'}},
                {"X-Trace-ID", new byte[]{'a', (byte) 0xE9}},
                {"X-Client-ID", "caf\u00e9".getBytes(StandardCharsets.UTF_8)},
                {"X-User-ID", new byte[]{(byte) 0xFF}},
                {"X-Tenant-ID", new byte[]{'a', 0x7F, 'b'}},
                {"Idempotency-Key", new byte[]{'a', 0x1B, 'b'}},
                {"X-Custom-Zone", new byte[]{'a', 0x00, 'b'}},
                {"X-Custom-Zone", new byte[]{'a', 0x07, 'b'}},
                {"X-Custom-Zone", "\u00fcber".getBytes(StandardCharsets.UTF_8)},
                {"X-Custom-Zone", new byte[]{'a', '\r', 'b'}},
                {"X-Custom-\u00dc", new byte[]{'v'}},
                {"X-Bad Name", new byte[]{'v'}},
                {"X-Trace-ID", "t".repeat(129).getBytes()},
                {"X-Client-ID", "c".repeat(257).getBytes()},
                {"X-Custom-Big", "v".repeat(20_000).getBytes()},
        };
        for (Object[] header : bad) {
            String name = (String) header[0];
            byte[] value = (byte[]) header[1];
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(("POST /quest/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n").getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            head.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(value);
            head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            String shown = name + ": " + printable(value);
            cases.add(new Case(g, shown, () -> raw(head.toByteArray(), "{}".getBytes()), BAD_REQUEST));
        }
        cases.add(raw(g, "obs-fold continuation line", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nX-Client-ID: a\r\n folded\r\n", "{}".getBytes(),
                      BAD_REQUEST));
        cases.add(raw(g, "header line without a colon", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nno colon here\r\n", "{}".getBytes(),
                      BAD_REQUEST));
        cases.add(raw(g, "space before the colon", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nX-Client-ID : a\r\n", "{}".getBytes(),
                      BAD_REQUEST));
        // a malformed Accept where the gateway parses it (a stream request) is 400: media ranges and
        // weights (0 to 1, at most 3 decimals) as RFC 9110 12.4.2 and 12.5.1 write them
        // (http/AcceptNegotiation); an empty parameter is allowed
        Map<String, Expect> accepts = new LinkedHashMap<>();
        accepts.put("*/*;q=abc", BAD_REQUEST);
        accepts.put("text/event-stream; q=", BAD_REQUEST);
        accepts.put("text/*;q=\"", BAD_REQUEST);
        accepts.put(";", BAD_REQUEST);
        accepts.put("/", BAD_REQUEST);
        accepts.put("text/event-stream;;", OK);
        accepts.put("*/*; q=1e999", BAD_REQUEST);
        accepts.put("text/event-stream;q=-1", BAD_REQUEST);
        for (String accept : accepts.keySet()) {
            byte[] body = "{\"params\":{\"stream\":true}}".getBytes(StandardCharsets.US_ASCII);
            cases.add(raw(g, "Accept: " + accept, "POST /ai/llm/infer HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nAccept: " + accept
                    + "\r\n", body, accepts.get(accept)));
        }
        StringBuilder many = new StringBuilder();
        IntStream.range(0, 33).forEach(i -> many.append("X-Custom-L").append(i).append(": v\r\n"));
        cases.add(raw(g, "33 labels", "POST /quest/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n" + many, "{}".getBytes(), BAD_REQUEST));
    }

    private static void pathParameters(List<Case> cases) {
        String g = "path parameter";
        List<String> values = List.of("*", ">", ".", "..", "%2A", "%3E", "%2E", "%2e", "%2e%2e", "%2E%2E", "a.*", "a.>",
                                      "a%2Ab", "%20", "a%00b", "a%2Fb", "a%0Db", "%C3%A9", "%FF", "a" .repeat(129),
                                      "a".repeat(4096));
        // a bad value is 400, also "." and ".." (segments the URI would resolve, RFC 3986 5.2.4) and an
        // encoded slash, which are refused before routing (http/RequestTarget); 4096 characters is too
        // long a target (414)
        Map<String, List<Expect>> unlike400 = Map.of(
                "a".repeat(4096), List.of(URI_TOO_LONG, URI_TOO_LONG));
        for (String value : values) {
            String shown = value.length() > 20 ? value.length() + " characters" : value;
            List<Expect> expected = unlike400.getOrDefault(value, List.of(BAD_REQUEST, BAD_REQUEST));
            List<String> paths = List.of("/ai/models/" + value, "/ai/models/" + value + "/select");
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                cases.add(raw(g, path.replace(value, shown), "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n", "{}".getBytes(), expected.get(i)));
            }
        }
        cases.add(raw(g, "empty: /ai/models//select", "POST /ai/models//select HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n", "{}".getBytes(), BAD_REQUEST));
        cases.add(raw(g, "empty: /ai/models/", "POST /ai/models/ HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n", "{}".getBytes(), BAD_REQUEST));
    }

    // ---- sending ----

    private static Case json(String group, String path, String body, Expect expected) {
        String name = path + " " + abbreviate(body);
        return new Case(group, name, () -> post(path, body.getBytes(StandardCharsets.UTF_8), "application/json"), expected);
    }

    private static Case raw(String group, String name, String head, byte[] body, Expect expected) {
        return new Case(group, name, () -> raw(head.getBytes(StandardCharsets.ISO_8859_1), body), expected);
    }

    private static Answer raw(byte[] head, byte[] body) {
        RawHttp.Response res = RawHttp.exchange(gateway.port(), head, body, TIMEOUT_MILLIS);
        return new Answer(res.status(), res.header("content-type"), res.header("allow"), res.body(), res.millis());
    }

    private static Answer post(String path, byte[] body, String contentType) {
        return send(http.request(path).header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static Answer send(HttpRequest request) {
        long start = System.nanoTime();
        HttpResponse<String> res;
        try {
            res = http.send(HttpRequest.newBuilder(request, (n, v) -> true)
                                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS)).build());
        } catch (RuntimeException e) {
            fail("no answer: " + e, e);
            return null;
        }
        return new Answer(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""),
                          res.headers().firstValue("Allow").orElse(""), res.body(),
                          (System.nanoTime() - start) / 1_000_000);
    }

    private static ByteArrayOutputStream chunkedBody(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        out.writeBytes("2000\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(("{\"region\":\"" + "x".repeat(8192 - 11)).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int sent = 8192; sent < bytes; sent += chunk.length) {
            out.writeBytes("2000\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(chunk);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("2\r\n\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    private static byte[] chunked(int bytes) {
        return chunkedBody(bytes).toByteArray();
    }

    private static String printable(byte[] value) {
        if (value.length > 40) {
            return value.length + " bytes";
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value) {
            int c = b & 0xFF;
            out.append(c >= 0x21 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        String flat = s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return flat.length() > 60 ? flat.substring(0, 40) + "...(" + flat.length() + " chars)" : flat;
    }
}
