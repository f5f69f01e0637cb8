package gaming.gateway.migration;

import gaming.gateway.error.GatewayException;
import gaming.gateway.route.RouteConfigException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.helidon.config.Config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A route's {@code migration} block: how its requests are divided between the legacy HTTP service
 * and NATS. The route table's values are the defaults; {@link #with} applies a live change.
 *
 * @param mode         {@code mode}: where requests go (default {@link Mode#NATS})
 * @param basisPoints  {@code percent} × 100: share of sticky keys sent to NATS in {@link Mode#SPLIT}, 0..10,000
 * @param primary      {@code primary}: the side that answers the client in {@link Mode#SHADOW} (default legacy)
 * @param stickyBy     {@code sticky-by}: the key of the split (default {@link StickyBy#USER})
 * @param shadow       {@code shadow}: in {@link Mode#SPLIT}, also send each request to the other side and compare
 * @param fallback     {@code fallback: legacy}: NATS unavailable or without responders → answered by legacy
 *                     (routes without {@code writes} only)
 * @param ignore       {@code ignore}: JSON Pointer paths left out of comparisons (a path and everything below it;
 *                     {@code *} matches any one segment; {@code meta} is read as {@code /meta})
 * @param unordered    {@code unordered}: paths of arrays compared without regard to order
 * @param shadowWrites {@code shadow-writes}: shadow a route with {@code writes: true} too
 * @param noiseSample  {@code noise-sample}: share (0..1) of shadowed requests for which legacy is called twice to
 *                     learn its noise (default {@link #DEFAULT_NOISE_SAMPLE})
 */
public record MigrationSettings(Mode mode, int basisPoints, Side primary, StickyBy stickyBy, boolean shadow,
                                boolean fallback, List<String> ignore, List<String> unordered, boolean shadowWrites,
                                double noiseSample) {
    /** Share of shadowed requests sampled for noise when {@code noise-sample} is not set. */
    public static final double DEFAULT_NOISE_SAMPLE = 0.1;
    /** A route without a {@code migration} block: everything to NATS. */
    public static final MigrationSettings NATS_ONLY = new MigrationSettings(
            Mode.NATS, 0, Side.LEGACY, StickyBy.USER, false, false, List.of(), List.of(), false, DEFAULT_NOISE_SAMPLE);

    /** Where a route's requests go. */
    public enum Mode {
        /** Everything to NATS (today's behaviour). */
        NATS,
        /** Everything to the legacy service, answered as it is. */
        LEGACY,
        /** The primary side answers; the other gets a copy in the background and the answers are compared. */
        SHADOW,
        /** {@code percent} of sticky keys to NATS, the rest to legacy. */
        SPLIT
    }

    /** One side of a migration. */
    public enum Side {
        NATS, LEGACY
    }

    /** The stable key a split hashes. */
    public enum StickyBy {
        /** {@code Meta.user_id} as identity set it. */
        USER,
        /** {@code Meta.tenant_id}. */
        TENANT,
        /** {@code X-Client-ID}. */
        CLIENT,
        /** The client's address. */
        IP
    }

    /**
     * The {@code migration} block of a route; {@link #NATS_ONLY} when there is none.
     *
     * @param migration the {@code migration} node
     * @param hasLegacy whether the route has a {@code legacy} block (every mode but {@code nats} needs one)
     * @param label     the route's name for errors
     * @throws RouteConfigException for an unknown mode, side or key, a percent outside 0..100 or finer than
     *                              0.01, a noise sample outside 0..1, or a mode needing {@code legacy} without it
     */
    public static MigrationSettings create(Config migration, boolean hasLegacy, String label) {
        if (!migration.exists()) {
            return NATS_ONLY;
        }
        Function<String, RuntimeException> error = why -> RouteConfigException.forRoute(label, "migration." + why);
        MigrationSettings s = new MigrationSettings(
                parse(Mode.class, migration.get("mode").asString().orElse("nats"), "mode", error),
                basisPoints(migration.get("percent").asString().orElse("0"), error),
                parse(Side.class, migration.get("primary").asString().orElse("legacy"), "primary", error),
                parse(StickyBy.class, migration.get("sticky-by").asString().orElse("user"), "sticky-by", error),
                migration.get("shadow").asBoolean().orElse(false),
                fallback(migration.get("fallback").asString().orElse("none"), error),
                paths(migration.get("ignore").asList(String.class).orElse(List.of())),
                paths(migration.get("unordered").asList(String.class).orElse(List.of())),
                migration.get("shadow-writes").asBoolean().orElse(false),
                noiseSample(migration.get("noise-sample").asDouble().orElse(DEFAULT_NOISE_SAMPLE), error));
        if (s.mode != Mode.NATS && !hasLegacy) {
            throw RouteConfigException.forRoute(label, "migration.mode " + s.modeName() + " needs a legacy block");
        }
        return s;
    }

    /**
     * These settings with the fields of {@code change} ({@code mode}, {@code percent}, {@code primary},
     * {@code sticky-by}, {@code shadow}, {@code fallback}, {@code shadow-writes}, {@code noise-sample})
     * replaced; other fields are refused.
     *
     * @throws GatewayException 400 {@code INVALID_ARGUMENT} for an unknown field or value, or a mode other than
     *                          {@code nats} on a route without {@code legacy}
     */
    public MigrationSettings with(JsonObject change, boolean hasLegacy) {
        Function<String, RuntimeException> error = GatewayException::invalidArgument;
        Mode m = mode;
        int bp = basisPoints;
        Side p = primary;
        StickyBy by = stickyBy;
        boolean sh = shadow;
        boolean fb = fallback;
        boolean sw = shadowWrites;
        double ns = noiseSample;
        for (var field : change.entrySet()) {
            JsonElement v = field.getValue();
            if (!v.isJsonPrimitive()) {
                throw error.apply(field.getKey() + " must be a string, number or boolean");
            }
            String text = v.getAsString();
            switch (field.getKey()) {
                case "mode" -> m = parse(Mode.class, text, "mode", error);
                case "percent" -> bp = basisPoints(text, error);
                case "primary" -> p = parse(Side.class, text, "primary", error);
                case "sticky-by" -> by = parse(StickyBy.class, text, "sticky-by", error);
                case "shadow" -> sh = bool(v, "shadow", error);
                case "fallback" -> fb = fallback(text, error);
                case "shadow-writes" -> sw = bool(v, "shadow-writes", error);
                case "noise-sample" -> ns = noiseSample(number(text, "noise-sample", error).doubleValue(), error);
                default -> throw error.apply("unknown field '" + field.getKey() + "'; known: mode, percent, primary, "
                                                     + "sticky-by, shadow, fallback, shadow-writes, noise-sample");
            }
        }
        if (m != Mode.NATS && !hasLegacy) {
            throw error.apply("mode " + m.name().toLowerCase(Locale.ROOT) + " needs a legacy block on the route");
        }
        return new MigrationSettings(m, bp, p, by, sh, fb, ignore, unordered, sw, ns);
    }

    /** The live-changeable fields as the JSON a {@code PUT} takes (and the KV bucket stores). */
    public JsonObject changeJson() {
        JsonObject o = new JsonObject();
        o.addProperty("mode", modeName());
        o.addProperty("percent", percent());
        o.addProperty("primary", primary.name().toLowerCase(Locale.ROOT));
        o.addProperty("sticky-by", stickyBy.name().toLowerCase(Locale.ROOT));
        o.addProperty("shadow", shadow);
        o.addProperty("fallback", fallback ? "legacy" : "none");
        o.addProperty("shadow-writes", shadowWrites);
        o.addProperty("noise-sample", noiseSample);
        return o;
    }

    /** {@code percent} as configured, e.g. {@code 12.5}. */
    public BigDecimal percent() {
        BigDecimal p = BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros();
        return p.scale() < 0 ? p.setScale(0) : p;
    }

    /** The mode's configuration name, e.g. {@code split}. */
    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String key, Function<String, RuntimeException> error) {
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                known.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw error.apply(key + " '" + text + "' is not one of " + String.join(", ", known));
        }
    }

    private static int basisPoints(String text, Function<String, RuntimeException> error) {
        BigDecimal percent = number(text, "percent", error);
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0 || percent.stripTrailingZeros().scale() > 2) {
            throw error.apply("percent must be 0 to 100 in steps of 0.01, got " + text);
        }
        return percent.movePointRight(2).intValueExact();
    }

    private static BigDecimal number(String text, String key, Function<String, RuntimeException> error) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw error.apply(key + " must be a number, got '" + text + "'");
        }
    }

    private static boolean bool(JsonElement v, String key, Function<String, RuntimeException> error) {
        if (!v.getAsJsonPrimitive().isBoolean()) {
            throw error.apply(key + " must be true or false");
        }
        return v.getAsBoolean();
    }

    private static boolean fallback(String text, Function<String, RuntimeException> error) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "legacy" -> true;
            case "none", "" -> false;
            default -> throw error.apply("fallback '" + text + "' is not one of legacy, none");
        };
    }

    private static double noiseSample(double share, Function<String, RuntimeException> error) {
        if (!(share >= 0 && share <= 1)) {
            throw error.apply("noise-sample must be a share from 0 to 1, got " + share);
        }
        return share;
    }

    private static List<String> paths(List<String> raw) {
        return raw.stream().map(String::strip).filter(p -> !p.isEmpty()).map(p -> p.startsWith("/") ? p : "/" + p).toList();
    }
}
