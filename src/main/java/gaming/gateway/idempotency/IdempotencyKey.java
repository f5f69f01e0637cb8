package gaming.gateway.idempotency;

import gaming.gateway.error.GatewayException;

/**
 * The value of an {@code Idempotency-Key} header. The IETF draft defines the field as an RFC 8941
 * Item of type String ({@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}); clients that send the bare
 * value are common, so a token is accepted too.
 */
final class IdempotencyKey {
    /** Longest key, in characters (Stripe's limit; the draft sets none). */
    static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /**
     * The key a header value carries.
     *
     * <ul>
     *   <li>a quoted string, RFC 8941 section 3.3.3: {@code DQUOTE *( %x20-21 / %x23-5B / %x5D-7E
     *       / "\" DQUOTE / "\\" ) DQUOTE}; the key is the unescaped content;</li>
     *   <li>else a token: RFC 9110 section 5.6.2 {@code tchar}s plus {@code :} and {@code /} (as in
     *       an RFC 8941 sf-token, which may also start with a digit here).</li>
     * </ul>
     *
     * @throws GatewayException 400 when empty, longer than {@value #MAX_LENGTH} characters, or neither form
     */
    static String fromHeader(String value) {
        String key = value.startsWith("\"") ? unquote(value) : token(value);
        return checkLength(key, "Idempotency-Key");
    }

    /**
     * A key from the request body ({@code idempotency_key}), taken as it is.
     *
     * @throws GatewayException 400 when longer than {@value #MAX_LENGTH} characters or not printable ASCII
     */
    static String fromBody(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw invalid("idempotency_key must be printable ASCII");
            }
        }
        return checkLength(value, "idempotency_key");
    }

    private static String checkLength(String key, String name) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid(name + " must be 1 to " + MAX_LENGTH + " characters");
        }
        return key;
    }

    private static String unquote(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 1;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 >= value.length() || (value.charAt(i + 1) != '"' && value.charAt(i + 1) != '\\')) {
                    throw invalid("Idempotency-Key: in a quoted string, \\ may only escape \" or \\ (RFC 8941 3.3.3)");
                }
                out.append(value.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                if (i != value.length() - 1) {
                    throw invalid("Idempotency-Key: characters after the closing quote");
                }
                return out.toString();
            } else if (c < 0x20 || c > 0x7E) {
                throw invalid("Idempotency-Key must be printable ASCII");
            } else {
                out.append(c);
                i++;
            }
        }
        throw invalid("Idempotency-Key: quoted string without a closing quote");
    }

    private static String token(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isTokenChar(value.charAt(i))) {
                throw invalid("Idempotency-Key must be a token or a quoted string (RFC 8941 3.3.3); '"
                                      + printable(value.charAt(i)) + "' is neither");
            }
        }
        return value;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }

    private static String printable(char c) {
        return c >= 0x20 && c <= 0x7E ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private static GatewayException invalid(String detail) {
        return GatewayException.invalidArgument(detail);
    }
}
