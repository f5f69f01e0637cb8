package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.Awaits;
import gaming.testing.NatsMonitor;
import gaming.testing.NatsServer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nats.client.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000+ generated requests (mutated valid JSON for each of the nine routes, random bytes, random
 * header sets within what HTTP allows) against the gateway with healthy services on all nine
 * subjects: no 5xx at all (with healthy services a 502/503/504 is as much a bug as a 500), every
 * non-2xx is problem+json, none waits past the route timeout, nothing leaks. Each request is made
 * from {@code new Random(SEED + i)}, so the failures printed name the index that reproduces one.
 */
@Tag("fault")
class FuzzFaultIT {
    private static final long SEED = 0x6_2026L;
    private static final int REQUESTS = 10_000;
    private static final int CLIENTS = 8;
    private static final long ROUTE_TIMEOUT_MS = 2000;

    /** A valid body per route path (path parameters filled in below). */
    private static final Map<String, String> VALID = Map.of(
            "/ai/llm/infer", "{\"model_id\":\"gpt-5-pro\",\"input\":{\"prompt\":\"Hello, world!\",\"system\":\"be brief\"},"
                    + "\"params\":{\"temperature\":0.7,\"max_tokens\":100,\"stream\":false,\"stop\":[\"\\n\"]},"
                    + "\"idempotency_key\":\"unique-key-123\"}",
            "/ai/llm/cancel", "{\"generation_id\":\"gen-27ee7d11-1\"}",
            "/ai/models", "{\"capability\":\"chat\"}",
            "/ai/models/{id}", "{}",
            "/ai/models/{id}/select", "{}",
            "/state/update", "{\"key\":\"player:123:inventory\",\"state\":{\"gold\":10,\"items\":[\"sword\"],"
                    + "\"nested\":{\"a\":[1,2,{\"b\":null}]}},\"expected_version\":0}",
            "/state/get", "{\"key\":\"player:123:inventory\"}",
            "/quest/generate", "{\"player_id\":\"player-1\",\"player_level\":12,\"region\":\"northern-caves\","
                    + "\"quest_type\":\"hunt\",\"objective_count\":3,\"seed\":42}",
            "/npc/behavior", "{\"npc_id\":\"guard-7\",\"archetype\":\"guard\",\"npc_state\":{\"health\":0.9,\"mood\":\"calm\","
                    + "\"position\":{\"x\":1,\"y\":2,\"z\":0}},\"stimuli\":[{\"type\":\"player_seen\",\"source_id\":\"player-1\","
                    + "\"intensity\":0.8,\"position\":{\"x\":3,\"y\":4}}],\"max_actions\":3}");
    private static final List<String> PATHS = List.copyOf(new TreeMap<>(VALID).keySet());

    private static final String[] JSON_VALUES = {"null", "true", "false", "0", "-1", "1.5", "1e999", "-1e999",
            "99999999999999999999", "2147483648", "\"\"", "\"x\"", "\"NaN\"", "\"Infinity\"", "[]", "[1,\"a\",null]", "{}",
            "{\"a\":{\"b\":[]}}", "\"\\ud800\"", "\"\\u0000\"", "1e-400", "-0", "\"" + "y".repeat(300) + "\""};
    private static final String[] FIELD_NAMES = {"meta", "model_id", "modelId", "input", "params", "stream", "key",
            "state", "expected_version", "expectedVersion", "player_level", "seed", "stimuli", "npc_state",
            "idempotency_key", "generation_id", "capability", "unknown_field", "", "__proto__", "request_id"};
    private static final String JSON_CHARS = "{}[]\",:0123456789.eE+-truefalsn \\/\t\n";
    private static final String[] HEADER_NAMES = {"X-Trace-ID", "X-Client-ID", "X-User-ID", "X-Tenant-ID",
            "X-Custom-Zone", "X-Custom-", "Idempotency-Key", "traceparent", "tracestate", "Accept", "Content-Type",
            "Authorization", "X-Forwarded-For", "Cookie", "Accept-Encoding", "Accept-Charset", "If-Match", "Range",
            "Origin", "X-Request-ID", "Content-Encoding", "Forwarded", "User-Agent", "Cache-Control"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json;charset=UTF-16", "application/problem+json", "application/vnd.api+json", "text/plain",
            "application/x-www-form-urlencoded", "text/json", "APPLICATION/JSON", "application/json; a=b; c=d",
            "*/*", "application/*", "multipart/form-data; boundary=--x"};
    private static final String[] ACCEPTS = {"*/*", "application/json", "text/event-stream",
            "text/event-stream, application/json;q=0.5", "text/*", "application/xml", "text/html;q=0.9, */*;q=0.1",
            "text/event-stream;q=0", "image/png"};

    private record Failure(int index, String what) {
    }

    @Test
    void tenThousandGeneratedRequestsGetNo5xx() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Connection serviceConnection = FaultKit.service(nats.url());
             NineServices services = new NineServices(serviceConnection);
             Gateway gateway = FaultKit.gateway(nats.url(), Map.of("gateway.nats.timeout-seconds", "2"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + gateway.port();
            HttpResponse<String> warm = client.send(HttpRequest.newBuilder(URI.create(base + "/quest/generate"))
                                                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, warm.statusCode());
            int baselineSubs = NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION);

            AtomicInteger next = new AtomicInteger();
            Map<Integer, AtomicInteger> statuses = new TreeMap<>();
            for (int s = 100; s < 600; s++) {
                statuses.put(s, new AtomicInteger());
            }
            ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
            AtomicLong slowest = new AtomicLong();
            AtomicInteger headerSets = new AtomicInteger();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                threads.add(Thread.ofVirtual().name("fuzz-" + c).start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < REQUESTS) {
                        Random random = new Random(SEED + i);
                        Generated g;
                        try {
                            g = generate(random, base);
                        } catch (RuntimeException e) {
                            failures.add(new Failure(i, "the generator failed: " + e));
                            continue;
                        }
                        if (g.headerCount() > 0) {
                            headerSets.incrementAndGet();
                        }
                        long sent = System.nanoTime();
                        HttpResponse<String> res;
                        try {
                            res = client.send(g.request(), HttpResponse.BodyHandlers.ofString());
                        } catch (IOException | InterruptedException e) {
                            failures.add(new Failure(i, "no answer: " + e + " for " + g.describe()));
                            continue;
                        }
                        long millis = (System.nanoTime() - sent) / 1_000_000;
                        slowest.accumulateAndGet(millis, Math::max);
                        statuses.get(res.statusCode()).incrementAndGet();
                        String problem = check(res, millis);
                        if (problem != null) {
                            failures.add(new Failure(i, problem + " for " + g.describe()));
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long seconds = Math.max(1, (System.nanoTime() - start) / 1_000_000_000);
            Map<Integer, Integer> counts = new TreeMap<>();
            statuses.forEach((s, n) -> {
                if (n.get() > 0) {
                    counts.put(s, n.get());
                }
            });
            System.out.printf("[fault] fuzz: %d requests (%d with generated headers) in %d s, by status %s, slowest %d ms,"
                                      + " %d failures, %d reached the services%n", REQUESTS, headerSets.get(), seconds,
                              counts, slowest.get(), failures.size(), services.received());
            Map<String, Integer> kinds = new TreeMap<>();
            failures.forEach(f -> kinds.merge(f.what().split(":", 2)[0], 1, Integer::sum));
            System.out.printf("[fault] fuzz failures by kind: %s%n", kinds);
            failures.stream().sorted(java.util.Comparator.comparing(f -> !f.what().startsWith("a 5")))
                    .limit(15).forEach(f -> System.out.printf("[fault] fuzz #%d (new Random(%d)): %s%n",
                                                                      f.index(), SEED + f.index(), f.what()));
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            assertEquals(REQUESTS, counts.values().stream().mapToInt(Integer::intValue).sum());
            Awaits.until(() -> NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION) == baselineSubs,
                                 Duration.ofSeconds(5), "the gateway's subscriptions back to " + baselineSubs);
            assertEquals(0, gateway.activeStreams(), "open streams after the run");
            assertTrue(gateway.natsConnected());
        }
    }

    /** Null when the response is fine, else what is wrong with it. */
    private static String check(HttpResponse<String> res, long millis) {
        int status = res.statusCode();
        String type = res.headers().firstValue("Content-Type").orElse("");
        String shown = status + " " + type + " " + (res.body().length() > 200 ? res.body().substring(0, 200) : res.body());
        if (status >= 500) {
            return "a " + status + " with healthy services: " + shown;
        }
        if (millis > ROUTE_TIMEOUT_MS + 1000) {
            return "took " + millis + " ms: " + shown;
        }
        if (status < 300) {
            return type.startsWith("application/json") || type.startsWith("text/event-stream") ? null
                    : "a " + status + " that is not JSON or SSE: " + shown;
        }
        if (!type.equals("application/problem+json")) {
            return "not problem+json: " + shown;
        }
        try {
            JsonObject problem = JsonParser.parseString(res.body()).getAsJsonObject();
            if (problem.get("status").getAsInt() != status || problem.get("code").getAsString().isEmpty()) {
                return "problem does not match its status: " + shown;
            }
        } catch (RuntimeException e) {
            return "unparsable problem: " + shown;
        }
        return null;
    }

    // ---- generation ----

    private record Generated(HttpRequest request, String path, String body, List<String> headers) {
        int headerCount() {
            return headers.size();
        }

        String describe() {
            String b = body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + ")" : body;
            return "POST " + path + " headers " + headers + " body " + b.replace("\n", "\\n");
        }
    }

    private static Generated generate(Random random, String base) {
        String template = PATHS.get(random.nextInt(PATHS.size()));
        String path = template.replace("{id}", pathParam(random));
        byte[] body = body(random, VALID.get(template));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (random.nextInt(10) > 0) {
            builder.header("Content-Type", random.nextInt(4) > 0 ? "application/json" : pick(random, CONTENT_TYPES));
        }
        List<String> headers = new ArrayList<>();
        int count = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextInt(8) == 0 ? 40 : 6);
        for (int h = 0; h < count; h++) {
            String name = random.nextInt(5) == 0 ? token(random, 1 + random.nextInt(20)) : pick(random, HEADER_NAMES);
            if (name.equals("X-Custom-")) {
                name += token(random, 1 + random.nextInt(10));
            }
            String value = headerValue(random, name);
            try {
                builder.header(name, value);
                headers.add(name + ": " + (value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + ")" : value));
            } catch (IllegalArgumentException restricted) {
                // a name the JDK client will not send (Host, Connection, ...): within HTTP, but not ours to send
            }
        }
        return new Generated(builder.build(), path, new String(body, StandardCharsets.ISO_8859_1), headers);
    }

    private static String pathParam(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "gpt-5-pro";
            case 1 -> pathToken(random, 1 + random.nextInt(10));
            case 2 -> "a".repeat(random.nextInt(300) + 1);
            case 3 -> percentEncoded(random);
            case 4 -> pick(random, new String[]{"%2A", "%3E", "%2E", "%2e%2e", "a.b", "a:b@c", "~x", "%20", "%00", "%FF"});
            default -> "m" + random.nextInt(1000);
        };
    }

    private static String percentEncoded(Random random) {
        StringBuilder out = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            out.append(String.format("%%%02X", random.nextInt(256)));
        }
        return out.toString();
    }

    private static byte[] body(Random random, String valid) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            byte[] bytes = new byte[random.nextInt(2048)];
            random.nextBytes(bytes);
            return bytes;
        }
        if (kind == 1) {
            return new byte[0];
        }
        String json = valid;
        int mutations = kind < 4 ? 0 : 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            json = mutate(random, json);
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(25) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(128)); // a stray non-UTF-8 byte
        }
        return bytes;
    }

    private static String mutate(Random random, String json) {
        int length = json.length();
        int at = length == 0 ? 0 : random.nextInt(length);
        return switch (random.nextInt(9)) {
            case 0 -> json.substring(0, at) + json.substring(Math.min(length, at + 1 + random.nextInt(8)));
            case 1 -> json.substring(0, at) + JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length())) + json.substring(at);
            case 2 -> replaceValue(random, json);
            case 3 -> json.substring(0, at) + json.substring(at, Math.min(length, at + random.nextInt(30))) + json.substring(at);
            case 4 -> json.substring(0, at);
            case 5 -> {
                int depth = 1 + random.nextInt(random.nextBoolean() ? 10 : 400);
                yield "[".repeat(depth) + json + "]".repeat(random.nextInt(3) == 0 ? depth - 1 : depth);
            }
            case 6 -> json.replaceFirst("\"[a-z_]+\":", "\"" + pick(random, FIELD_NAMES) + "\":");
            case 7 -> json.startsWith("{") && json.length() > 1
                    ? "{\"" + pick(random, FIELD_NAMES) + "\":" + pick(random, JSON_VALUES) + (json.equals("{}") ? "}" : "," + json.substring(1))
                    : json;
            default -> json.substring(0, at) + "\\u" + Integer.toHexString(random.nextInt(0x10000)) + json.substring(at);
        };
    }

    /** Replaces one JSON value (after a colon) with a random one. */
    private static String replaceValue(Random random, String json) {
        List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) == ':') {
                colons.add(i);
            }
        }
        if (colons.isEmpty()) {
            return json;
        }
        int colon = colons.get(random.nextInt(colons.size()));
        int end = colon + 1;
        int depth = 0;
        boolean inString = false;
        while (end < json.length()) {
            char c = json.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            end++;
        }
        return json.substring(0, colon + 1) + pick(random, JSON_VALUES) + json.substring(Math.min(end, json.length()));
    }

    private static String headerValue(Random random, String name) {
        return switch (name) {
            case "Content-Type" -> pick(random, CONTENT_TYPES);
            case "Accept" -> pick(random, ACCEPTS);
            case "traceparent" -> random.nextBoolean()
                    ? String.format("00-%016x%016x-%016x-01", random.nextLong(), random.nextLong(), random.nextLong())
                    : text(random, 55);
            default -> switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> text(random, 200 + random.nextInt(200));
                case 2 -> obsText(random, 1 + random.nextInt(20));
                default -> text(random, 1 + random.nextInt(40));
            };
        };
    }

    /** Visible ASCII, spaces and tabs inside (not at the ends: the client would trim them). */
    private static String text(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            boolean inner = i > 0 && i < length - 1;
            int c = inner && random.nextInt(12) == 0 ? (random.nextBoolean() ? ' ' : '\t') : 0x21 + random.nextInt(0x7E - 0x21 + 1);
            out.append((char) c);
        }
        return out.toString();
    }

    /** Visible ASCII mixed with obs-text (0x80-0xFF), which HTTP allows in field values. */
    private static String obsText(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) (random.nextBoolean() ? 0x21 + random.nextInt(94) : 0x80 + random.nextInt(128)));
        }
        return out.toString();
    }

    private static String token(Random random, int length) {
        String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(tchar.charAt(random.nextInt(tchar.length())));
        }
        return out.toString();
    }

    /** Characters a URI path segment may hold as they are (RFC 3986 pchar without '%'). */
    private static String pathToken(Random random, int length) {
        String pchar = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(pchar.charAt(random.nextInt(pchar.length())));
        }
        return out.toString();
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
