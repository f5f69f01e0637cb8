package gaming.gateway.route;

import java.util.Locale;

/** What a route does with an idempotency key ({@code idempotency} in a route entry). */
public enum IdempotencyMode {
    /** The key is neither checked nor forwarded (no {@code Meta.idempotency_key}, no NATS header). */
    OFF,
    /** The key is checked for form and forwarded to the service, which deduplicates (the default). */
    FORWARD,
    /** The gateway deduplicates: replay, 409, 422, through the shared KV bucket; the key is also forwarded. */
    ENFORCE;

    /**
     * The mode named {@code value} ({@code off}, {@code forward}, {@code enforce}, any case). YAML 1.1
     * reads a bare {@code off} as the boolean false, so {@code false} means off too.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static IdempotencyMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false" -> OFF;
            case "forward" -> FORWARD;
            case "enforce" -> ENFORCE;
            default -> throw new IllegalArgumentException("idempotency must be off, forward or enforce, not '" + value + "'");
        };
    }
}
