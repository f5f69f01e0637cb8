package gaming.gateway.identity;

import gaming.gateway.config.Redact;

import io.helidon.config.Config;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How bearer tokens are verified in {@code jwt} mode, from the {@code gateway.identity.jwt} node.
 *
 * @param jwksUrl       where the signing keys are published (JWKS), or empty when {@code publicKeyFile} is set
 * @param publicKeyFile a PEM public key or certificate, or a JWK / JWK set JSON file, or empty
 * @param issuer        the required {@code iss}
 * @param audiences     accepted {@code aud} values; a token must name at least one
 * @param userClaim     the claim that becomes {@code Meta.user_id} (required in every token)
 * @param tenantClaim   the claim that becomes {@code Meta.tenant_id} (optional in a token)
 * @param clockSkew     tolerance for {@code exp} and {@code nbf}
 * @param jwksTimeout   connect and read timeout of one JWKS fetch
 * @param jwksCacheTtl  how long fetched keys are used before they are fetched again
 */
public record JwtSettings(Optional<URL> jwksUrl, Optional<Path> publicKeyFile, String issuer, Set<String> audiences,
                          String userClaim, String tenantClaim, Duration clockSkew, Duration jwksTimeout,
                          Duration jwksCacheTtl) {
    /** Largest accepted clock skew. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Settings from the {@code gateway.identity.jwt} node; every problem is an {@link IllegalArgumentException}. */
    public static JwtSettings create(Config jwt) {
        Optional<String> url = text(jwt, "jwks-url");
        Optional<String> file = text(jwt, "public-key-file");
        if (url.isPresent() == file.isPresent()) {
            throw new IllegalArgumentException("IDENTITY_MODE=jwt needs exactly one of gateway.identity.jwt.jwks-url"
                                                       + " (JWT_JWKS_URL) and gateway.identity.jwt.public-key-file"
                                                       + " (JWT_PUBLIC_KEY_FILE)");
        }
        String issuer = text(jwt, "issuer").orElseThrow(() -> new IllegalArgumentException(
                "IDENTITY_MODE=jwt needs gateway.identity.jwt.issuer (JWT_ISSUER)"));
        Set<String> audiences = text(jwt, "audience")
                .map(a -> Arrays.stream(a.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(
                        "IDENTITY_MODE=jwt needs gateway.identity.jwt.audience (JWT_AUDIENCE), comma-separated"));
        long skew = jwt.get("clock-skew-seconds").asLong().orElse(60L);
        if (skew < 0 || skew > MAX_CLOCK_SKEW.toSeconds()) {
            throw new IllegalArgumentException("gateway.identity.jwt.clock-skew-seconds (JWT_CLOCK_SKEW_SECONDS) must be"
                                                       + " 0 to " + MAX_CLOCK_SKEW.toSeconds() + "; got " + skew);
        }
        long timeoutMs = jwt.get("jwks-timeout-ms").asLong().orElse(2_000L);
        long cacheSeconds = jwt.get("jwks-cache-seconds").asLong().orElse(300L);
        if (timeoutMs < 100 || timeoutMs > 10_000 || cacheSeconds < 60 || cacheSeconds > 86_400) {
            throw new IllegalArgumentException("gateway.identity.jwt.jwks-timeout-ms must be 100 to 10000 and"
                                                       + " jwks-cache-seconds 60 to 86400");
        }
        return new JwtSettings(url.map(u -> jwksUrl(u, jwt.get("jwks-allow-http").asBoolean().orElse(false))),
                               file.map(Path::of),
                               issuer,
                               audiences,
                               text(jwt, "user-claim").orElse("sub"),
                               text(jwt, "tenant-claim").orElse("tenant_id"),
                               Duration.ofSeconds(skew),
                               Duration.ofMillis(timeoutMs),
                               Duration.ofSeconds(cacheSeconds));
    }

    /**
     * The JWKS URL; {@code https}, or {@code http} only to a loopback host or with
     * {@code jwks-allow-http} (keys fetched in clear text can be swapped on the way).
     */
    static URL jwksUrl(String value, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("gateway.identity.jwt.jwks-url (JWT_JWKS_URL) is not a URL: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || host.equals("::1");
        if (!scheme.equals("https") && !(scheme.equals("http") && (loopback || allowHttp))) {
            throw new IllegalArgumentException("gateway.identity.jwt.jwks-url (JWT_JWKS_URL) must be https"
                                                       + " (http only for localhost, or with"
                                                       + " gateway.identity.jwt.jwks-allow-http: true): " + value);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("gateway.identity.jwt.jwks-url (JWT_JWKS_URL) has no host: " + value);
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("gateway.identity.jwt.jwks-url (JWT_JWKS_URL) is not a URL: " + value);
        }
    }

    private static Optional<String> text(Config node, String key) {
        return node.get(key).asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
    }

    /** The settings with any credentials in the JWKS URL (user information, query) masked. */
    @Override
    public String toString() {
        return "JwtSettings[jwksUrl=" + jwksUrl.map(u -> Redact.url(u.toString())) + ", publicKeyFile=" + publicKeyFile
                + ", issuer=" + issuer + ", audiences=" + audiences + ", userClaim=" + userClaim + ", tenantClaim="
                + tenantClaim + ", clockSkew=" + clockSkew + ", jwksTimeout=" + jwksTimeout + ", jwksCacheTtl="
                + jwksCacheTtl + "]";
    }
}
