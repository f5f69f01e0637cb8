package gaming.gateway.legacy;

import gaming.gateway.route.RouteConfigException;

import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;

/**
 * A route's {@code legacy} block: where the HTTP service the route replaces answers.
 *
 * @param url     base URL ({@code http} or {@code https}, no query), to which the request's raw path
 *                and query are appended unchanged, e.g. {@code http://quest-legacy:8080}
 * @param timeout how long the gateway waits for the legacy answer ({@code timeout-seconds}, default
 *                {@link #DEFAULT_TIMEOUT_SECONDS})
 * @param writes  whether the route changes data ({@code writes}, default false): such a route is
 *                not shadowed unless {@code shadow-writes} and never falls back to legacy
 */
public record LegacySpec(URI url, Duration timeout, boolean writes) {
    /** Timeout of a legacy block that sets none, in seconds. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 10;

    /**
     * The {@code legacy} block of a route, validated.
     *
     * @param legacy the {@code legacy} node (must exist)
     * @param label  the route's name for errors
     * @throws RouteConfigException when {@code url} is missing or not an absolute http(s) URL without
     *                              query or fragment, or the timeout is not &gt; 0
     */
    public static LegacySpec create(Config legacy, String label) {
        String raw = legacy.get("url").asString().orElse("").strip();
        URI url;
        try {
            url = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (IllegalArgumentException e) {
            throw RouteConfigException.forRoute(label, "legacy.url '" + raw + "' is not a URL");
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw RouteConfigException.forRoute(label, "legacy.url must be an http(s) base URL without query, got '" + raw + "'");
        }
        long seconds = legacy.get("timeout-seconds").asLong().orElse(DEFAULT_TIMEOUT_SECONDS);
        if (seconds <= 0) {
            throw RouteConfigException.forRoute(label, "legacy.timeout-seconds must be > 0");
        }
        return new LegacySpec(url, Duration.ofSeconds(seconds), legacy.get("writes").asBoolean().orElse(false));
    }

    /** The URL without its user information, for logs and errors. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getRawPath();
    }

    @Override
    public String toString() {
        return "LegacySpec[url=" + safeUrl() + ", timeout=" + timeout + ", writes=" + writes + "]";
    }
}
