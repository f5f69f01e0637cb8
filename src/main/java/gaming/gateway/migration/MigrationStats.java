package gaming.gateway.migration;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one route's migration has seen since start: requests per side, comparison results, errors
 * per side, fallbacks, the paths that differed (and how often), the paths learnt as noise and the
 * last {@link #LAST} differences. Per instance; lock-free on the request path (only the background
 * comparisons take the lock of the last differences).
 */
public final class MigrationStats {
    /** How many of the latest differences are kept. */
    public static final int LAST = 20;
    /** At most this many distinct paths are counted (differing and noisy each); later ones are counted as {@code (other)}. */
    public static final int MAX_PATHS = 200;
    /** How many differing paths {@link #toJson} lists, most frequent first. */
    public static final int TOP = 10;

    /** Result of one comparison. */
    public enum Result {
        /** Equal answers (after ignored paths). */
        MATCH,
        /** At least one difference that is not noise. */
        MISMATCH,
        /** Differences only on paths where legacy differs from itself. */
        NOISE,
        /** A side gave no answer (unavailable, timeout). */
        ERROR,
        /** Not compared: the shadow pool was full. */
        SKIPPED
    }

    final LongAdder natsRequests = new LongAdder();
    final LongAdder legacyRequests = new LongAdder();
    final LongAdder natsErrors = new LongAdder();
    final LongAdder legacyErrors = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    private final Map<Result, LongAdder> results = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> differing = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> noise = new ConcurrentHashMap<>();
    private final ArrayDeque<JsonObject> last = new ArrayDeque<>();

    MigrationStats() {
        for (Result r : Result.values()) {
            results.put(r, new LongAdder());
        }
    }

    void result(Result r) {
        results.get(r).increment();
    }

    long count(Result r) {
        return results.get(r).sum();
    }

    /** Records {@code path} (general form) as noise: legacy answered it differently twice. */
    void noise(String generalPath) {
        count(noise, generalPath);
    }

    /** The general paths learnt as noise so far. */
    Set<String> noisePaths() {
        return noise.keySet();
    }

    void difference(String path, JsonElement legacy, JsonElement nats, String traceId) {
        count(differing, JsonDiff.general(path));
        JsonObject d = new JsonObject();
        d.addProperty("path", path);
        d.add("legacy", legacy);
        d.add("nats", nats);
        d.addProperty("trace_id", traceId);
        d.addProperty("at", Instant.now().toString());
        synchronized (last) {
            if (last.size() == LAST) {
                last.removeFirst();
            }
            last.addLast(d);
        }
    }

    private static void count(Map<String, LongAdder> paths, String path) {
        LongAdder c = paths.get(path);
        if (c == null) {
            c = paths.size() < MAX_PATHS ? paths.computeIfAbsent(path, k -> new LongAdder())
                    : paths.computeIfAbsent("(other)", k -> new LongAdder());
        }
        c.increment();
    }

    /** The counts as the {@code GET /admin/migration} JSON of one route (without its settings). */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonObject requests = new JsonObject();
        requests.addProperty("nats", natsRequests.sum());
        requests.addProperty("legacy", legacyRequests.sum());
        o.add("requests", requests);
        JsonObject comparisons = new JsonObject();
        for (Result r : Result.values()) {
            comparisons.addProperty(r.name().toLowerCase(java.util.Locale.ROOT), count(r));
        }
        o.add("comparisons", comparisons);
        JsonObject errors = new JsonObject();
        errors.addProperty("nats", natsErrors.sum());
        errors.addProperty("legacy", legacyErrors.sum());
        o.add("errors", errors);
        o.addProperty("fallbacks", fallbacks.sum());
        o.add("top_differences", top(differing));
        o.add("noise", top(noise));
        JsonArray recent = new JsonArray();
        synchronized (last) {
            last.descendingIterator().forEachRemaining(recent::add);
        }
        o.add("last_differences", recent);
        return o;
    }

    private static JsonArray top(Map<String, LongAdder> paths) {
        JsonArray out = new JsonArray();
        paths.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .forEach(e -> {
                    JsonObject p = new JsonObject();
                    p.addProperty("path", e.getKey());
                    p.addProperty("count", e.getValue());
                    out.add(p);
                });
        return out;
    }
}
