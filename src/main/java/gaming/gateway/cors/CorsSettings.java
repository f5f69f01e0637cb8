package gaming.gateway.cors;

import io.helidon.config.Config;
import io.helidon.webserver.cors.CorsConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.spi.ServerFeature;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's CORS configuration: the {@code gateway.cors} block (its {@code allow-origins} also
 * from {@code CORS_ALLOWED_ORIGINS}, comma-separated) and each route's {@code cors} block, whose
 * keys override the gateway-wide ones for that route's path. Off (no feature, no work per request)
 * unless an origin is allowed somewhere.
 *
 * <p>Keys: {@code allow-origins}, {@code allow-methods}, {@code allow-headers},
 * {@code expose-headers} (lists, or comma-separated strings), {@code allow-credentials},
 * {@code max-age-seconds} (0 to 86400).
 *
 * @param gateway the gateway-wide policy, applied to every path no route policy covers
 * @param routes  route path (as in the route table) to its own policy
 */
public record CorsSettings(CorsPolicy gateway, Map<String, CorsPolicy> routes) {
    private static final Pattern ORIGIN = Pattern.compile("(https?)://([A-Za-z0-9*.-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");
    private static final Pattern DNS_LABELS = Pattern.compile("[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*");

    public CorsSettings {
        routes = Map.copyOf(routes);
    }

    /**
     * Reads and checks the settings.
     *
     * @param gatewayNode the {@code gateway} node (holds {@code cors} and {@code routes})
     * @throws IllegalArgumentException naming the key, for an origin that is not
     *                                  {@code scheme://host[:port]}, {@code *} with credentials, or a max age outside 0..86400
     */
    public static CorsSettings create(Config gatewayNode) {
        CorsPolicy defaults = new CorsPolicy(List.of(), CorsPolicy.DEFAULT_METHODS, CorsPolicy.DEFAULT_ALLOW_HEADERS,
                                             CorsPolicy.DEFAULT_EXPOSE_HEADERS, false, CorsPolicy.DEFAULT_MAX_AGE);
        CorsPolicy gateway = policy(gatewayNode.get("cors"), defaults, "gateway.cors");
        Map<String, CorsPolicy> routes = new LinkedHashMap<>();
        for (Config route : gatewayNode.get("routes").asNodeList().orElse(List.of())) {
            Config cors = route.get("cors");
            if (cors.exists()) {
                String path = route.get("path").asString().orElse("");
                routes.put(path, policy(cors, gateway, "cors of route " + path));
            }
        }
        return new CorsSettings(gateway, routes);
    }

    /** Whether any origin is allowed anywhere. */
    public boolean enabled() {
        return gateway.enabled() || routes.values().stream().anyMatch(CorsPolicy::enabled);
    }

    /**
     * The CORS feature for these settings: Helidon's {@code CorsFeature} with one path policy per
     * route that has one (first match wins), then the gateway-wide policy on every path; plus
     * {@link PreflightHeaders}, which checks a preflight's requested headers in its place.
     *
     * @return empty when {@link #enabled()} is false
     */
    public Optional<ServerFeature> feature() {
        if (!enabled()) {
            return Optional.empty();
        }
        Map<String, CorsPolicy> ordered = new LinkedHashMap<>();
        routes.forEach((path, policy) -> {
            if (policy.enabled()) {
                ordered.put(path, policy);
            }
        });
        if (gateway.enabled()) {
            ordered.put("/*", gateway);
        }
        CorsConfig.Builder config = CorsFeature.builder().addDefaults(false).pathsDiscoverServices(false).enabled(true);
        ordered.forEach((path, policy) -> config.addPath(p -> apply(p.pathPattern(path), policy)));
        return Optional.of(new Feature(config.build(), new PreflightHeaders(ordered)));
    }

    /** Helidon's CORS feature and the preflight header check, on every socket. */
    private record Feature(CorsFeature cors, PreflightHeaders preflight) implements ServerFeature {
        @Override
        public void setup(ServerFeatureContext context) {
            cors.setup(context);
            Set<String> sockets = new HashSet<>(context.sockets());
            sockets.add(WebServer.DEFAULT_SOCKET_NAME);
            for (String socket : sockets) {
                context.socket(socket).httpRouting().addFeature(preflight);
            }
        }

        @Override
        public String name() {
            return "gateway-cors";
        }

        @Override
        public String type() {
            return "gateway-cors";
        }
    }

    private static void apply(io.helidon.webserver.cors.CorsPathConfig.Builder path, CorsPolicy policy) {
        List<String> origins = new ArrayList<>();
        for (String origin : policy.allowOrigins()) {
            origins.add(helidonOrigin(origin));
        }
        path.allowOrigins(new java.util.LinkedHashSet<>(origins))
                .allowMethods(new java.util.LinkedHashSet<>(policy.allowMethods()))
                .allowHeaders(Set.of("*")) // checked by PreflightHeaders
                .exposeHeaders(new java.util.LinkedHashSet<>(policy.exposeHeaders()))
                .allowCredentials(policy.allowCredentials())
                .maxAge(policy.maxAge())
                .enabled(policy.enabled());
    }

    /** An exact origin as is; {@code *} in a host as a regular expression for one or more DNS labels (Helidon reads such entries as patterns). */
    private static String helidonOrigin(String origin) {
        if (origin.equals("*") || origin.indexOf('*') < 0) {
            return origin;
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = origin.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(DNS_LABELS.pattern());
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return regex.toString();
    }

    private static CorsPolicy policy(Config node, CorsPolicy inherited, String where) {
        List<String> origins = list(node.get("allow-origins"), inherited.allowOrigins());
        for (String origin : origins) {
            if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException(where + ".allow-origins: '" + origin
                        + "' is not an origin (scheme://host[:port], * for any, or *. in the host)");
            }
        }
        boolean credentials = node.get("allow-credentials").asBoolean().orElse(inherited.allowCredentials());
        if (credentials && origins.contains("*")) {
            throw new IllegalArgumentException(where + ": allow-credentials needs explicit origins, not *");
        }
        long maxAge = node.get("max-age-seconds").asLong().orElse(inherited.maxAge().toSeconds());
        if (maxAge < 0 || maxAge > 86_400) {
            throw new IllegalArgumentException(where + ".max-age-seconds must be 0..86400, not " + maxAge);
        }
        return new CorsPolicy(origins,
                              list(node.get("allow-methods"), inherited.allowMethods()),
                              list(node.get("allow-headers"), inherited.allowHeaders()),
                              list(node.get("expose-headers"), inherited.exposeHeaders()),
                              credentials, Duration.ofSeconds(maxAge));
    }

    /** A list node, or a comma-separated string (as an environment variable gives it), or {@code inherited}. */
    private static List<String> list(Config node, List<String> inherited) {
        if (!node.exists()) {
            return inherited;
        }
        List<String> values = node.type() == Config.Type.LIST
                ? node.asList(String.class).get()
                : Arrays.asList(node.asString().orElse("").split(","));
        return values.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
