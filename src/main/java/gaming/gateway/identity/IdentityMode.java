package gaming.gateway.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the {@code user_id} and {@code tenant_id} of a request's {@code Meta} come from ({@code IDENTITY_MODE}). */
public enum IdentityMode {
    /**
     * {@code X-User-ID} and {@code X-Tenant-ID} are copied as sent: the behaviour of the original
     * gateway, for deployments behind a proxy that authenticates and sets these headers itself.
     */
    TRUST_HEADERS("trust-headers"),
    /** The identity headers are ignored; {@code Meta} carries no identity. */
    STRIP("strip"),
    /** A verified Bearer JWT is required; identity comes from its claims, never from headers. */
    JWT("jwt");

    private final String configName;

    IdentityMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration, e.g. {@code trust-headers}. */
    public String configName() {
        return configName;
    }

    /**
     * The mode named {@code value} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the valid modes, for anything else
     */
    public static IdentityMode parse(String value) {
        String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (IdentityMode mode : values()) {
            if (mode.configName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("gateway.identity.mode (IDENTITY_MODE) must be one of "
                                                   + Arrays.stream(values()).map(IdentityMode::configName)
                                                           .collect(Collectors.joining(", "))
                                                   + "; got '" + value + "'");
    }
}
