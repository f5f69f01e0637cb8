package gaming.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment variables the gateway reads, and the config key each one overrides. Kept in one
 * place so that deployment files can be checked against it.
 */
public final class EnvOverrides {
    /** Environment variable to config key. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("PORT", "server.port");
        keys.put("HOST", "server.host");
        keys.put("NATS_URL", "gateway.nats.url");
        keys.put("NATS_TIMEOUT_SECONDS", "gateway.nats.timeout-seconds");
        keys.put("NATS_CREDS", "gateway.nats.creds");
        keys.put("NATS_NKEY_SEED", "gateway.nats.nkey-seed");
        keys.put("NATS_TOKEN", "gateway.nats.token");
        keys.put("NATS_USER", "gateway.nats.user");
        keys.put("NATS_PASSWORD", "gateway.nats.password");
        keys.put("NATS_TLS_CA", "gateway.nats.tls.ca");
        keys.put("NATS_TLS_CERT", "gateway.nats.tls.cert");
        keys.put("NATS_TLS_KEY", "gateway.nats.tls.key");
        keys.put("MAX_BODY_BYTES", "gateway.max-body-bytes");
        keys.put("SHUTDOWN_GRACE_SECONDS", "gateway.shutdown-grace-seconds");
        keys.put("MAX_CONNECTIONS", "gateway.connections.max-open");
        keys.put("HEADER_READ_TIMEOUT_SECONDS", "gateway.connections.header-read-timeout-seconds");
        keys.put("IDLE_TIMEOUT_SECONDS", "gateway.connections.idle-timeout-seconds");
        keys.put("ACCESS_LOG", "gateway.access-log.enabled");
        keys.put("METRICS_ENABLED", "gateway.metrics.enabled");
        keys.put("DESCRIPTOR_SETS", "gateway.descriptor-sets");
        keys.put("COMPRESSION_ENABLED", "gateway.compression.enabled");
        keys.put("CORS_ALLOWED_ORIGINS", "gateway.cors.allow-origins");
        keys.put("IDENTITY_MODE", "gateway.identity.mode");
        keys.put("JWT_JWKS_URL", "gateway.identity.jwt.jwks-url");
        keys.put("JWT_PUBLIC_KEY_FILE", "gateway.identity.jwt.public-key-file");
        keys.put("JWT_ISSUER", "gateway.identity.jwt.issuer");
        keys.put("JWT_AUDIENCE", "gateway.identity.jwt.audience");
        keys.put("JWT_USER_CLAIM", "gateway.identity.jwt.user-claim");
        keys.put("JWT_TENANT_CLAIM", "gateway.identity.jwt.tenant-claim");
        keys.put("JWT_CLOCK_SKEW_SECONDS", "gateway.identity.jwt.clock-skew-seconds");
        keys.put("ADMIN_PORT", "gateway.admin.port");
        keys.put("GATEWAY_ADMIN_TOKEN", "gateway.admin.token");
        KEYS = Map.copyOf(keys);
    }

    /** The variable that names a config file to use instead of {@code ./application.yaml}. */
    public static final String GATEWAY_CONFIG = "GATEWAY_CONFIG";

    /** Every environment variable the gateway reads. */
    public static final Set<String> NAMES;

    static {
        var names = new java.util.TreeSet<>(KEYS.keySet());
        names.add(GATEWAY_CONFIG);
        NAMES = Set.copyOf(names);
    }

    private EnvOverrides() {
    }

    /** The config keys set by the variables present in {@code environment}. */
    public static Map<String, String> apply(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        KEYS.forEach((env, key) -> {
            String value = environment.get(env);
            if (value != null && !value.isBlank()) {
                out.put(key, value.trim());
            }
        });
        return out;
    }
}
