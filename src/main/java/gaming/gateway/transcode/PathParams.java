package gaming.gateway.transcode;

import gaming.gateway.error.GatewayException;

/**
 * Checks path parameter values before they go into a request field. They never become part of a
 * NATS subject, but ids with wildcards, separators or control characters are rejected anyway:
 * {@code [A-Za-z0-9._~:@-]}, 1 to 128 characters, not {@code .} or {@code ..}.
 */
public final class PathParams {
    /** Longest accepted value. */
    public static final int MAX_LENGTH = 128;

    private PathParams() {
    }

    /**
     * {@code value} if it is a valid id.
     *
     * @throws GatewayException 400 naming the parameter otherwise
     */
    public static String check(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw GatewayException.invalidArgument(name + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw GatewayException.invalidArgument(name + " is longer than " + MAX_LENGTH + " characters");
        }
        if (value.equals(".") || value.equals("..")) {
            throw GatewayException.invalidArgument(name + " must not be '" + value + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                throw GatewayException.invalidArgument(name + " may contain only letters, digits and . _ ~ : @ -");
            }
        }
        return value;
    }

    private static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '~' || c == ':' || c == '@' || c == '-';
    }
}
