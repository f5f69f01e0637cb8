package gaming.gateway;

import gaming.gateway.config.EnvOverrides;

import io.helidon.config.ConfigException;

import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one line a start-up failure prints: what is wrong, naming the setting where there is one. */
final class StartupFailure {
    /** Helidon's message for a value of the wrong type, e.g. {@code NATS_TIMEOUT_SECONDS=abc}. */
    private static final Pattern MAPPING = Pattern.compile("Mapping of value '(.*)' stored under key '([^']*)' has failed");

    private StartupFailure() {
    }

    /**
     * The cause of {@code e} in one line. The gateway's own validation messages name the setting
     * and its environment variable (e.g. {@code gateway.identity.mode (IDENTITY_MODE) must be one
     * of ...}, {@code route llm-infer: ...}); Helidon's config errors name the key; a port in use
     * names the port.
     */
    static String describe(Throwable e) {
        String kind = e instanceof ConfigException ? "configuration error: " : "";
        Matcher mapping = MAPPING.matcher(String.valueOf(e.getMessage()));
        if (e instanceof ConfigException && mapping.find()) {
            String key = mapping.group(2);
            String variable = EnvOverrides.KEYS.entrySet().stream().filter(entry -> entry.getValue().equals(key))
                    .map(entry -> " (" + entry.getKey() + ")").findFirst().orElse("");
            return kind + key + variable + " has a value of the wrong type: '" + mapping.group(1) + "'";
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return oneLine(e.getMessage() + ": " + e.getCause().getMessage());
        }
        return kind + oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
