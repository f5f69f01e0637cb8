package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

/**
 * The request target's path must be in the form the routes are written in. Helidon normalises a
 * path before routing: it drops {@code ;} parameters (matrix parameters), decodes percent-encoded
 * octets and resolves {@code .}/{@code ..} segments, so {@code /ai/models;x/m/select},
 * {@code /ai/models/m/%73elect} and {@code /ai/x/../models/m/select} would all reach the route of
 * {@code /ai/models/{model_id}/select}, past a proxy rule written for that path. Each such form is
 * rejected with 400 instead: a {@code ;} or {@code \}, an empty (also a trailing {@code /}), {@code .}
 * or {@code ..} segment, a target that is not a path starting with {@code /} (such as {@code *}), and
 * a percent-encoded {@code /} or unreserved character (letters, digits, {@code -._~}, which RFC 3986
 * §6.2.2.2 says are never to be encoded). Other percent-encoded octets stay allowed: they cannot
 * form a route's literal segments, which are unreserved characters only.
 */
public final class RequestTarget {
    private RequestTarget() {
    }

    /**
     * Checks a raw (undecoded) request path.
     *
     * @throws GatewayException 400 {@code INVALID_ARGUMENT} naming what is wrong
     */
    public static void check(String rawPath) {
        if (rawPath.equals("/")) {
            return;
        }
        if (!rawPath.startsWith("/")) {
            // e.g. the asterisk-form "*", for OPTIONS to the server as a whole only (RFC 9112 §3.2.4)
            throw GatewayException.invalidArgument("the request target must be a path starting with '/'");
        }
        int segmentStart = 1;
        for (int i = 0; i <= rawPath.length(); i++) {
            char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
            switch (c) {
                case ';' -> throw GatewayException.invalidArgument(
                        "';' in the path: path segment parameters are not supported");
                case '\\' -> throw GatewayException.invalidArgument("'\\' in the path");
                case '%' -> checkEscape(rawPath, i);
                case '/' -> {
                    if (i > 0) {
                        checkSegment(rawPath.substring(segmentStart, i));
                        segmentStart = i + 1;
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw GatewayException.invalidArgument("empty, '.' or '..' segment in the path");
        }
    }

    private static void checkEscape(String rawPath, int at) {
        int high = at + 1 < rawPath.length() ? Character.digit(rawPath.charAt(at + 1), 16) : -1;
        int low = at + 2 < rawPath.length() ? Character.digit(rawPath.charAt(at + 2), 16) : -1;
        if (high < 0 || low < 0) {
            throw GatewayException.invalidArgument("'%' in the path is not followed by two hex digits");
        }
        char decoded = (char) (high * 16 + low);
        if (decoded == '/' || isUnreserved(decoded)) {
            throw GatewayException.invalidArgument("percent-encoded '" + decoded
                                                           + "' in the path: send it unencoded");
        }
    }

    /** unreserved of RFC 3986 §2.3. */
    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
