package gaming.gateway.migration;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Structural comparison of two JSON values: objects by member regardless of order, numbers by value
 * ({@code 10} equals {@code 10.0} and {@code "10"}, as proto3 JSON writes 64-bit integers), arrays element by element in order unless their path is listed
 * as unordered, paths listed as ignored left out. Each difference carries a JSON Pointer (RFC 6901)
 * to where it is.
 */
public final class JsonDiff {
    /** At most this many differences are reported for one pair of answers. */
    public static final int MAX_DIFFERENCES = 32;

    private final List<String[]> ignore;
    private final List<String[]> unordered;

    /**
     * @param ignore    JSON Pointer paths left out, each with everything below it; a {@code *} segment matches any one segment
     * @param unordered JSON Pointer paths of arrays compared as multisets ({@code *} as above)
     */
    public JsonDiff(List<String> ignore, List<String> unordered) {
        this.ignore = ignore.stream().map(JsonDiff::segments).toList();
        this.unordered = unordered.stream().map(JsonDiff::segments).toList();
    }

    /** One difference: where, and the value on each side ({@code null} JSON for a missing member). */
    public record Difference(String path, JsonElement left, JsonElement right) {
    }

    /** The differences between {@code left} and {@code right}, at most {@link #MAX_DIFFERENCES}; empty when equal. */
    public List<Difference> compare(JsonElement left, JsonElement right) {
        List<Difference> out = new ArrayList<>();
        compare("", left, right, out);
        return out;
    }

    private void compare(String path, JsonElement a, JsonElement b, List<Difference> out) {
        if (out.size() >= MAX_DIFFERENCES || matches(ignore, path, false)) {
            return;
        }
        if (a.isJsonObject() && b.isJsonObject()) {
            JsonObject x = a.getAsJsonObject();
            JsonObject y = b.getAsJsonObject();
            TreeSet<String> keys = new TreeSet<>(x.keySet());
            keys.addAll(y.keySet());
            for (String k : keys) {
                compare(path + "/" + escape(k), orNull(x.get(k)), orNull(y.get(k)), out);
            }
        } else if (a.isJsonArray() && b.isJsonArray()) {
            JsonArray x = a.getAsJsonArray();
            JsonArray y = b.getAsJsonArray();
            if (matches(unordered, path, true)) {
                if (!sameMultiset(path, x, y)) {
                    out.add(new Difference(path, a, b));
                }
                return;
            }
            for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
                compare(path + "/" + i, i < x.size() ? x.get(i) : JsonNull.INSTANCE,
                        i < y.size() ? y.get(i) : JsonNull.INSTANCE, out);
            }
        } else if (!leafEquals(a, b)) {
            out.add(new Difference(path, a, b));
        }
    }

    private boolean sameMultiset(String path, JsonArray x, JsonArray y) {
        if (x.size() != y.size()) {
            return false;
        }
        boolean[] used = new boolean[y.size()];
        for (int i = 0; i < x.size(); i++) {
            boolean found = false;
            for (int j = 0; j < y.size() && !found; j++) {
                if (!used[j]) {
                    List<Difference> d = new ArrayList<>();
                    compare(path + "/" + i, x.get(i), y.get(j), d);
                    if (d.isEmpty()) {
                        used[j] = true;
                        found = true;
                    }
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean leafEquals(JsonElement a, JsonElement b) {
        if (a.isJsonPrimitive() && b.isJsonPrimitive()) {
            JsonPrimitive x = a.getAsJsonPrimitive();
            JsonPrimitive y = b.getAsJsonPrimitive();
            if (x.isNumber() || y.isNumber()) {
                BigDecimal u = number(x);
                BigDecimal v = number(y);
                return u != null && v != null && u.compareTo(v) == 0;
            }
            return x.equals(y);
        }
        return a.isJsonNull() && b.isJsonNull();
    }

    /**
     * A number, or a string holding one: the proto3 JSON mapping writes 64-bit integers as strings
     * ({@code "10"}), which a legacy service writes as numbers ({@code 10}); null for anything else.
     */
    private static BigDecimal number(JsonPrimitive p) {
        if (p.isNumber()) {
            return p.getAsBigDecimal();
        }
        if (p.isString()) {
            try {
                return new BigDecimal(p.getAsString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static JsonElement orNull(JsonElement e) {
        return e == null ? JsonNull.INSTANCE : e;
    }

    /** Whether {@code path} is one of {@code patterns} or (unless {@code exact}) below one. */
    private static boolean matches(List<String[]> patterns, String path, boolean exact) {
        if (patterns.isEmpty()) {
            return false;
        }
        String[] p = segments(path);
        for (String[] pattern : patterns) {
            if (pattern.length > p.length || (exact && pattern.length != p.length)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < pattern.length && all; i++) {
                all = pattern[i].equals("*") || pattern[i].equals(p[i]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** The general form of a path: array indices as {@code *}, so that noise learnt on one element covers all. */
    public static String general(String path) {
        return path.replaceAll("/\\d+(?=/|$)", "/*");
    }

    private static String[] segments(String path) {
        return path.isEmpty() ? new String[0] : path.substring(1).split("/", -1);
    }

    /** A member name as a JSON Pointer segment (RFC 6901 section 3: {@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
