package gaming.gateway.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Secret-safe text for the {@code toString} of settings that hold credentials: a secret becomes
 * {@value #MASK}, a URL loses its user information (RFC 3986 section 3.2.1) and its query.
 */
public final class Redact {
    /** What a secret is shown as. */
    public static final String MASK = "****";
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@");

    private Redact() {
    }

    /** {@value #MASK} when {@code secret} is present, else {@code Optional.empty}'s text. */
    public static String secret(Optional<String> secret) {
        return secret.isPresent() ? "Optional[" + MASK + "]" : "Optional.empty";
    }

    /** {@code url} without user information and query: {@code nats://****@host:4222}, {@code https://idp/jwks?****}. */
    public static String url(String url) {
        String out = USER_INFO.matcher(url).replaceFirst("$1" + MASK + "@");
        int query = out.indexOf('?');
        return query < 0 ? out : out.substring(0, query + 1) + MASK;
    }
}
