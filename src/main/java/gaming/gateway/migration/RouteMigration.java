package gaming.gateway.migration;

import common.v1.Meta;
import gaming.gateway.error.ErrorCode;
import gaming.gateway.error.GatewayException;
import gaming.gateway.legacy.LegacyAnswer;
import gaming.gateway.legacy.LegacyClients;
import gaming.gateway.legacy.LegacySpec;
import gaming.gateway.migration.MigrationSettings.Side;
import gaming.gateway.migration.MigrationStats.Result;
import gaming.gateway.observe.MigrationMeters;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.TraceContext;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One route in migration: its legacy service, its live {@link MigrationSettings} and its
 * {@link MigrationStats}. {@link #serve} decides per request which side answers the client and
 * whether the other side gets a shadow copy, then proxies legacy or hands over to NATS.
 */
public final class RouteMigration {
    /** HTTP header marking a shadow copy sent to the legacy service. */
    public static final String HTTP_SHADOW_HEADER = "X-Gateway-Shadow";
    private static final Logger LOG = Logger.getLogger(RouteMigration.class.getName());
    private static final Set<String> SET_BY_GATEWAY = Set.of("x-user-id", "x-tenant-id", "x-trace-id", "traceparent");
    private static final String EVENT_STREAM = "text/event-stream";
    /** Answers (or streams) this long or longer are not compared (counted {@code skipped}). */
    private static final int MAX_COMPARED = 1 << 20;

    private final String name;
    private final LegacySpec legacy;
    private final LegacyClients clients;
    private final Shadows shadows;
    private final String salt;
    private final JsonDiff diff;
    private final MigrationSettings defaults;
    private final MigrationStats stats = new MigrationStats();
    private final MigrationMeters meters;
    private volatile MigrationSettings settings;

    RouteMigration(String name, LegacySpec legacy, MigrationSettings defaults, LegacyClients clients, Shadows shadows,
                   String salt, MigrationMeters meters) {
        this.name = name;
        this.legacy = legacy;
        this.defaults = defaults;
        this.settings = defaults;
        this.clients = clients;
        this.shadows = shadows;
        this.salt = salt;
        this.diff = new JsonDiff(defaults.ignore(), defaults.unordered());
        this.meters = meters;
    }

    /** The route's name. */
    public String name() {
        return name;
    }

    /** The route's legacy service; null for a route without a {@code legacy} block. */
    public LegacySpec legacy() {
        return legacy;
    }

    /** The settings in force. */
    public MigrationSettings settings() {
        return settings;
    }

    /** The route table's settings. */
    MigrationSettings defaults() {
        return defaults;
    }

    void apply(MigrationSettings next) {
        settings = next;
    }

    MigrationStats stats() {
        return stats;
    }

    /**
     * Serves one request: to legacy (proxied as it is), or to NATS through {@code nats}, with a
     * shadow copy to the other side when the settings say so.
     *
     * @param body the request body as received
     * @param meta the request's {@code Meta} so far (identity, trace, client, labels)
     * @throws GatewayException from the side that answers: the NATS path's errors, or 502/504 from legacy
     */
    public void serve(ServerRequest req, ServerResponse res, Meta.Builder meta, TraceContext.Trace trace, byte[] body,
                      NatsSide nats) {
        MigrationSettings s = settings;
        boolean mayShadow = !legacy.writes() || s.shadowWrites();
        Side side;
        boolean shadow;
        switch (s.mode()) {
            case LEGACY -> {
                side = Side.LEGACY;
                shadow = false;
            }
            case SHADOW -> {
                side = s.primary();
                shadow = mayShadow;
            }
            case SPLIT -> {
                side = Sticky.toNats(Sticky.bucket(name, salt, stickyKey(s, meta, req)), s.basisPoints()) ? Side.NATS : Side.LEGACY;
                shadow = s.shadow() && mayShadow;
            }
            default -> {
                side = Side.NATS;
                shadow = false;
            }
        }
        if (s.mode() == MigrationSettings.Mode.SHADOW && !mayShadow) {
            stats.result(Result.SKIPPED);
            meters.comparison("skipped");
        }
        if (side == Side.NATS && !shadow && !s.fallback()) {
            count(Side.NATS);
            nats.serve(false);
            return;
        }
        String method = req.prologue().method().text();
        String target = target(req);
        List<LegacyAnswer.Header> headers = legacyHeaders(req, meta, trace);
        String traceId = meta.getTraceId();
        if (side == Side.LEGACY) {
            count(Side.LEGACY);
            if (!shadow) {
                proxy(res, method, target, headers, body, false);
                return;
            }
            Outcome answer = proxy(res, method, target, headers, body, true);
            if (answer == null) {
                finish(Result.SKIPPED); // longer than a comparison keeps
                return;
            }
            background(() -> compare(answer, natsOutcome(nats, answer.stream()), s, method, target, headers, body, traceId));
            return;
        }
        count(Side.NATS);
        NatsSide.Answer sent;
        try {
            sent = nats.serve(shadow);
        } catch (GatewayException e) {
            if (isUnavailable(e)) {
                stats.natsErrors.increment();
            }
            if (s.fallback() && !legacy.writes() && isUnavailable(e) && !res.isSent()) {
                stats.fallbacks.increment();
                meters.fallback();
                count(Side.LEGACY);
                proxy(res, method, target, headers, body, false);
                return;
            }
            throw e;
        }
        if (shadow && sent == null) {
            finish(Result.SKIPPED); // a replayed answer: not compared
        } else if (shadow && sent.body().length >= MAX_COMPARED) {
            finish(Result.SKIPPED); // longer than a comparison keeps
        } else if (shadow) {
            background(() -> compare(shadowLegacy(method, target, headers, body),
                                     new Outcome(sent.status(), sent.body(), sent.stream()), s, method, target, headers,
                                     body, traceId));
        }
    }

    private static boolean isUnavailable(GatewayException e) {
        return e.code().equals(ErrorCode.NO_RESPONDERS.name()) || e.code().equals(ErrorCode.NATS_UNAVAILABLE.name());
    }

    private void count(Side side) {
        (side == Side.NATS ? stats.natsRequests : stats.legacyRequests).increment();
        meters.request(side == Side.NATS ? "nats" : "legacy");
    }

    private void background(Runnable task) {
        if (!shadows.submit(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "shadow comparison of " + name + " failed", e);
                stats.result(Result.ERROR);
                meters.comparison("error");
            }
        })) {
            stats.result(Result.SKIPPED);
            meters.comparison("skipped");
        }
    }

    /** The key a split hashes; the client's address when the chosen key is not in the request. */
    private static String stickyKey(MigrationSettings s, Meta.Builder meta, ServerRequest req) {
        String key = switch (s.stickyBy()) {
            case USER -> meta.getUserId();
            case TENANT -> meta.getTenantId();
            case CLIENT -> meta.getClientId();
            case IP -> "";
        };
        if (!key.isEmpty()) {
            return key;
        }
        SocketAddress peer = req.remotePeer().address();
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(peer);
    }

    /** The request target as the client sent it: raw path and raw query. */
    private static String target(ServerRequest req) {
        String query = req.query().rawValue();
        return req.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * The client's end-to-end headers, with identity and trace as the gateway resolved them:
     * {@code X-User-ID}, {@code X-Tenant-ID} from {@code Meta}, {@code X-Trace-ID} and the gateway's
     * {@code traceparent}.
     */
    private static List<LegacyAnswer.Header> legacyHeaders(ServerRequest req, Meta.Builder meta, TraceContext.Trace trace) {
        List<LegacyAnswer.Header> out = new ArrayList<>();
        for (LegacyAnswer.Header h : LegacyClients.endToEnd(req.headers())) {
            if (!SET_BY_GATEWAY.contains(h.name().toLowerCase(Locale.ROOT))) {
                out.add(h);
            }
        }
        out.add(new LegacyAnswer.Header(TraceContext.TRACEPARENT.defaultCase(), trace.traceparent()));
        out.add(new LegacyAnswer.Header(TraceContext.X_TRACE_ID.defaultCase(), meta.getTraceId()));
        if (!meta.getUserId().isEmpty()) {
            out.add(new LegacyAnswer.Header(MetaHeaders.X_USER_ID.defaultCase(), meta.getUserId()));
        }
        if (!meta.getTenantId().isEmpty()) {
            out.add(new LegacyAnswer.Header(MetaHeaders.X_TENANT_ID.defaultCase(), meta.getTenantId()));
        }
        return out;
    }

    private LegacyAnswer callLegacy(String method, String target, List<LegacyAnswer.Header> headers, byte[] body) {
        long start = System.nanoTime();
        try {
            return clients.call(legacy, method, target, headers, body, MAX_COMPARED);
        } catch (GatewayException e) {
            stats.legacyErrors.increment();
            throw e;
        } finally {
            meters.legacyLatency(System.nanoTime() - start);
        }
    }

    /**
     * Answers the client from legacy: an event stream is copied as it arrives (each read flushed),
     * anything else read whole and sent with its status and headers.
     *
     * @param keep whether to keep what was sent for a comparison
     * @return with {@code keep}, the answer as sent (an event stream as far as the client got it),
     *         or null when it is longer than {@link #MAX_COMPARED}; without, null
     */
    private Outcome proxy(ServerResponse res, String method, String target, List<LegacyAnswer.Header> headers, byte[] body,
                          boolean keep) {
        long start = System.nanoTime();
        LegacyClients.Streamed streamed;
        try {
            streamed = clients.open(legacy, method, target, headers, body);
        } catch (GatewayException e) {
            stats.legacyErrors.increment();
            meters.legacyLatency(System.nanoTime() - start);
            throw e;
        }
        try (streamed; InputStream in = streamed.body()) {
            LegacyAnswer head = streamed.head();
            if (!isStream(head.contentType())) {
                byte[] first = in.readNBytes(MAX_COMPARED);
                if (first.length < MAX_COMPARED) {
                    write(res, new LegacyAnswer(head.status(), head.headers(), head.contentType(), first));
                    return keep ? new Outcome(head.status(), first, false) : null;
                }
                // 1 MiB or more: sent on as it arrives (one buffer per request, not one the size of the
                // answer), with legacy's length when it gave one; too long to compare
                headers(res, head);
                streamed.response().headers().contentLength().ifPresent(n -> res.headers().contentLength(n));
                try (OutputStream out = res.outputStream()) {
                    out.write(first);
                    in.transferTo(out);
                }
                return null;
            }
            headers(res, head);
            byte[] buffer = new byte[8192];
            ByteArrayOutputStream copy = keep ? new ByteArrayOutputStream() : null;
            try (OutputStream out = res.outputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                        if (copy != null && copy.size() < MAX_COMPARED) {
                            copy.write(buffer, 0, n);
                        }
                    }
                }
            }
            return copy != null && copy.size() < MAX_COMPARED ? new Outcome(head.status(), copy.toByteArray(), true) : null;
        } catch (IOException | RuntimeException e) {
            // Helidon's client reports a body cut short (fewer bytes than Content-Length, a connection
            // closed mid-chunk) with its own unchecked exceptions, not IOException
            if (res.isSent()) {
                return null; // the client went away or legacy broke off mid-stream: nothing more to say
            }
            stats.legacyErrors.increment();
            throw LegacyClients.failure(legacy, e);
        } finally {
            meters.legacyLatency(System.nanoTime() - start);
        }
    }

    private static void write(ServerResponse res, LegacyAnswer answer) {
        headers(res, answer);
        res.send(answer.body());
    }

    /**
     * Status and headers of a legacy answer, as legacy sent them; except that when the gateway's
     * CORS policy has answered for the request's origin (it set {@code Access-Control-Allow-Origin}),
     * legacy's {@code Access-Control-*} headers are left out: the gateway's policy is the one in force.
     */
    private static void headers(ServerResponse res, LegacyAnswer answer) {
        res.status(Status.create(answer.status()));
        boolean gatewayCors = res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (LegacyAnswer.Header h : answer.headers()) {
            if (!gatewayCors || !h.name().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                byName.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(h.value());
            }
        }
        byName.forEach((n, values) -> res.headers().set(HeaderValues.create(n, values)));
    }

    /** One side's answer for comparison: a status and the body (an event stream's events), or no answer at all. */
    record Outcome(int status, byte[] body, boolean stream) {
        static final Outcome NONE = new Outcome(-1, new byte[0], false);
        /** An answer of {@link #MAX_COMPARED} bytes or more, not kept. */
        static final Outcome TOO_LONG = new Outcome(-2, new byte[0], false);
    }

    private static boolean isStream(String contentType) {
        return contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
    }

    private Outcome natsOutcome(NatsSide nats, boolean stream) {
        try {
            NatsSide.Answer answer = nats.shadow(stream);
            return new Outcome(answer.status(), answer.body(), answer.stream());
        } catch (GatewayException e) {
            if (e.status() >= 500) {
                stats.natsErrors.increment();
                return Outcome.NONE;
            }
            return new Outcome(e.status(), new byte[0], false);
        }
    }

    private Outcome shadowLegacy(String method, String target, List<LegacyAnswer.Header> headers, byte[] body) {
        List<LegacyAnswer.Header> marked = new ArrayList<>(headers);
        marked.add(new LegacyAnswer.Header(HTTP_SHADOW_HEADER, "1"));
        try {
            LegacyAnswer a = callLegacy(method, target, marked, body);
            // read up to MAX_COMPARED bytes: an answer that long was cut there and is not compared
            return a.body().length >= MAX_COMPARED ? Outcome.TOO_LONG : new Outcome(a.status(), a.body(), isStream(a.contentType()));
        } catch (GatewayException e) {
            return Outcome.NONE;
        }
    }

    /**
     * Compares legacy's answer with NATS's. For a {@code noise-sample} share of comparisons (never
     * for a route that writes) legacy is asked once more first: the paths where its two answers
     * differ are learnt as noise. Statuses must be equal; bodies are compared when both are 2xx:
     * JSON structurally, event streams by {@link StreamDigest} (text deltas and final chunk).
     */
    private void compare(Outcome legacyOut, Outcome nats, MigrationSettings s, String method, String target,
                         List<LegacyAnswer.Header> headers, byte[] body, String traceId) {
        if (legacyOut == Outcome.NONE || nats == Outcome.NONE) {
            finish(Result.ERROR);
            return;
        }
        if (legacyOut == Outcome.TOO_LONG) {
            finish(Result.SKIPPED);
            return;
        }
        if (!legacy.writes() && legacyOut.status() / 100 == 2 && ThreadLocalRandom.current().nextDouble() < s.noiseSample()) {
            Outcome again = shadowLegacy(method, target, headers, body);
            if (again != Outcome.NONE && again.status() == legacyOut.status()) {
                for (JsonDiff.Difference d : differences(legacyOut, again)) {
                    stats.noise(JsonDiff.general(d.path()));
                }
            }
        }
        if (legacyOut.status() != nats.status()) {
            stats.difference("(status)", new JsonPrimitive(legacyOut.status()), new JsonPrimitive(nats.status()), traceId);
            finish(Result.MISMATCH);
            return;
        }
        if (legacyOut.status() / 100 != 2) {
            finish(Result.MATCH);
            return;
        }
        List<JsonDiff.Difference> differences = differences(legacyOut, nats);
        Set<String> noise = stats.noisePaths();
        boolean mismatch = false;
        for (JsonDiff.Difference d : differences) {
            if (!noise.contains(JsonDiff.general(d.path()))) {
                mismatch = true;
                stats.difference(d.path(), d.left(), d.right(), traceId);
            }
        }
        finish(mismatch ? Result.MISMATCH : differences.isEmpty() ? Result.MATCH : Result.NOISE);
    }

    /** The differences between two 2xx bodies of the same status. */
    private List<JsonDiff.Difference> differences(Outcome left, Outcome right) {
        if (left.stream() && right.stream()) {
            return StreamDigest.compare(diff, digest(left), digest(right));
        }
        if (left.stream() != right.stream()) {
            return List.of(new JsonDiff.Difference("(stream)", new JsonPrimitive(left.stream()),
                                                   new JsonPrimitive(right.stream())));
        }
        return diff.compare(parse(left.body()), parse(right.body()));
    }

    private static StreamDigest digest(Outcome streamed) {
        return StreamDigest.of(new String(streamed.body(), StandardCharsets.UTF_8));
    }

    private void finish(Result r) {
        stats.result(r);
        meters.comparison(r.name().toLowerCase(Locale.ROOT));
    }

    /** A body as JSON; a body that is not JSON compares as one string. */
    private static JsonElement parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            return new JsonPrimitive(text);
        }
    }

    /** Settings and counts as one route's entry of {@code GET /admin/migration}. */
    JsonObject toJson() {
        MigrationSettings s = settings;
        JsonObject o = s.changeJson();
        o.addProperty("legacy", legacy.safeUrl());
        o.addProperty("writes", legacy.writes());
        MigrationStats.class.cast(stats).toJson().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        return o;
    }
}
