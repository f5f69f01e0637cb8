package gaming.gateway.ratelimit;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Locale;

/**
 * A route's {@code rate-limit} block: {@code requests} per {@code window-seconds} for each client
 * key, as a token bucket of {@code requests} tokens refilled evenly over the window (so a client
 * may burst the whole quota, then gets one request per window/requests).
 *
 * @param requests the quota, &gt;= 1
 * @param window   the window the quota refills over, 1 s to 1 day
 * @param key      what names a client
 * @param maxKeys  the most client keys held at once ({@code gateway.rate-limit.max-keys}); beyond,
 *                 idle keys are dropped first
 */
public record RateLimitSettings(long requests, Duration window, Key key, int maxKeys) {
    /** Client keys held at once unless {@code gateway.rate-limit.max-keys} says otherwise (about 100 bytes each). */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    /** What names a client. A request without the value (no user, tenant or client id) is keyed by its remote address. */
    public enum Key {
        /** {@code Meta.user_id} (from the identity mode). */
        USER,
        /** {@code Meta.tenant_id}. */
        TENANT,
        /** {@code Meta.client_id} ({@code X-Client-ID}). */
        CLIENT_ID,
        /** The TCP peer's address (behind a proxy: the proxy's). */
        REMOTE_ADDRESS
    }

    /**
     * The block of one route, or null when it has none.
     *
     * @param node    the route's {@code rate-limit} node
     * @param maxKeys {@code gateway.rate-limit.max-keys}
     * @throws IllegalArgumentException for a quota below 1, a window outside 1..86400 s, an unknown key
     */
    public static RateLimitSettings create(Config node, int maxKeys) {
        if (!node.exists()) {
            return null;
        }
        long requests = node.get("requests").asLong().orElse(0L);
        if (requests < 1) {
            throw new IllegalArgumentException("rate-limit.requests must be >= 1");
        }
        long seconds = node.get("window-seconds").asLong().orElse(60L);
        if (seconds < 1 || seconds > 86_400) {
            throw new IllegalArgumentException("rate-limit.window-seconds must be 1..86400, not " + seconds);
        }
        String key = node.get("key").asString().orElse("remote-address");
        Key parsed;
        try {
            parsed = Key.valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rate-limit.key must be user, tenant, client-id or remote-address, not " + key);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("gateway.rate-limit.max-keys must be >= 1");
        }
        return new RateLimitSettings(requests, Duration.ofSeconds(seconds), parsed, maxKeys);
    }

    /**
     * The {@code rate-limit} blocks of the routes in {@code gateway.routes}, by route name (the
     * route's {@code name}, else its path); routes without one are absent.
     *
     * @param gateway the {@code gateway} node
     * @throws IllegalArgumentException naming the route, for a bad block
     */
    public static java.util.Map<String, RateLimitSettings> ofRoutes(Config gateway) {
        int maxKeys = gateway.get("rate-limit.max-keys").asInt().orElse(DEFAULT_MAX_KEYS);
        java.util.Map<String, RateLimitSettings> out = new java.util.HashMap<>();
        for (Config route : gateway.get("routes").asNodeList().orElse(java.util.List.of())) {
            String name = route.get("name").asString().orElse(route.get("path").asString().orElse(""));
            try {
                RateLimitSettings settings = create(route.get("rate-limit"), maxKeys);
                if (settings != null) {
                    out.put(name, settings);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route " + name + ": " + e.getMessage(), e);
            }
        }
        return java.util.Map.copyOf(out);
    }
}
