package gaming.gateway.identity;

import io.helidon.config.Config;

import java.util.Optional;

/**
 * The {@code gateway.identity} node: the {@link IdentityMode} and, in {@code jwt} mode, how tokens
 * are verified.
 *
 * @param mode where identity comes from (default {@code trust-headers})
 * @param jwt  present exactly in {@code jwt} mode
 */
public record IdentitySettings(IdentityMode mode, Optional<JwtSettings> jwt) {
    /** Settings from the {@code gateway.identity} node; an unknown mode or incomplete JWT settings throw. */
    public static IdentitySettings create(Config identity) {
        IdentityMode mode = identity.get("mode").asString()
                .map(IdentityMode::parse)
                .orElse(IdentityMode.TRUST_HEADERS);
        Optional<JwtSettings> jwt = mode == IdentityMode.JWT
                ? Optional.of(JwtSettings.create(identity.get("jwt")))
                : Optional.empty();
        return new IdentitySettings(mode, jwt);
    }
}
