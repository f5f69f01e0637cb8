package gaming.gateway.error;

import common.v1.Error;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table from a Protobuf {@link Error.Code} to an HTTP status, as in the original system
 * description plus the codes it did not list. A route may override single entries.
 */
public final class StatusTable {
    private static final StatusTable DEFAULT = new StatusTable(Map.of());

    private final Map<Error.Code, Integer> overrides;

    private StatusTable(Map<Error.Code, Integer> overrides) {
        this.overrides = overrides.isEmpty() ? Map.of() : new EnumMap<>(overrides);
    }

    /** The table without overrides. */
    public static StatusTable defaults() {
        return DEFAULT;
    }

    /** The default table with some entries replaced, e.g. {@code NOT_FOUND -> 410} for a legacy API. */
    public static StatusTable withOverrides(Map<Error.Code, Integer> overrides) {
        overrides.forEach((code, status) -> {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status for " + code + " must be 100..599, was " + status);
            }
        });
        return overrides.isEmpty() ? DEFAULT : new StatusTable(overrides);
    }

    /** The HTTP status for an error code, with this table's overrides. */
    public int status(Error.Code code) {
        Integer override = overrides.get(code);
        return override != null ? override : defaultStatus(code);
    }

    /** The HTTP status for an error code, without overrides. */
    public static int defaultStatus(Error.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, ALREADY_EXISTS, ABORTED -> 409;
            case FAILED_PRECONDITION -> 412;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case INTERNAL, UNKNOWN, DATA_LOSS, UNSPECIFIED, UNRECOGNIZED -> 500;
        };
    }
}
