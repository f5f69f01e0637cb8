package gaming.gateway.admin;

import io.helidon.config.Config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The {@code gateway.admin} keys.
 *
 * @param port      the admin listener's port ({@code port}, {@code ADMIN_PORT}; default {@link #DEFAULT_PORT};
 *                  0 = any free port)
 * @param token     the bearer token ({@code token}, {@code GATEWAY_ADMIN_TOKEN}); empty = admin off
 * @param tokenName who the token stands for in the change log ({@code token-name}, default {@code admin})
 */
public record AdminSettings(int port, Optional<String> token, String tokenName) {
    /** The admin port when none is set. */
    public static final int DEFAULT_PORT = 8001;

    /**
     * The {@code gateway.admin} node.
     *
     * @throws IllegalStateException for a port outside 0..65535 or a token shorter than 16 characters
     */
    public static AdminSettings create(Config admin) {
        int port = admin.get("port").asInt().orElse(DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new IllegalStateException("gateway.admin.port must be 0..65535, got " + port);
        }
        Optional<String> token = admin.get("token").asString().asOptional().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && token.get().length() < 16) {
            throw new IllegalStateException("gateway.admin.token (GATEWAY_ADMIN_TOKEN) must be at least 16 characters");
        }
        return new AdminSettings(port, token, admin.get("token-name").asString().orElse("admin"));
    }

    /** Whether the admin endpoints are on (a token is configured). */
    public boolean enabled() {
        return token.isPresent();
    }

    /** The token's bytes, for a constant-time comparison. */
    byte[] tokenBytes() {
        return token.orElseThrow().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AdminSettings[port=" + port + ", token=" + (token.isPresent() ? "****" : "none") + ", tokenName=" + tokenName + "]";
    }
}
