package gaming.gateway.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A media type as RFC 9110 §8.3.1 defines it: {@code type "/" subtype *( OWS ";" OWS [ parameter ] )},
 * with type, subtype and parameter names compared case-insensitively (kept here in lower case) and
 * parameter values as sent (a quoted string unquoted). In an {@code Accept} header the same syntax
 * names a media range, where type or subtype may be {@code *}.
 *
 * @param type       the type in lower case, e.g. {@code application}
 * @param subtype    the subtype in lower case, e.g. {@code json}
 * @param parameters parameters by lower-case name, in the order sent
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {
    /**
     * Parses one media type (or media range).
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    public static MediaType parse(String text) {
        Cursor c = new Cursor(text);
        MediaType type = read(c);
        if (!c.atEnd()) {
            throw new IllegalArgumentException("unexpected ',' in " + text);
        }
        return type;
    }

    /** Reads one media type from {@code c}, up to the end or the next {@code ,} of a list (not taken). */
    static MediaType read(Cursor c) {
        c.skipWhitespace();
        String type = c.token();
        c.expect('/');
        String subtype = c.token();
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            c.skipWhitespace();
            if (c.atEnd() || c.peek() == ',') {
                return new MediaType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT),
                                     Map.copyOf(parameters));
            }
            c.expect(';');
            c.skipWhitespace();
            if (c.atEnd() || c.peek() == ';' || c.peek() == ',') {
                continue;   // an empty parameter, which the grammar allows
            }
            String name = c.token().toLowerCase(Locale.ROOT);
            c.expect('=');
            String value = c.peek() == '"' ? c.quotedString() : c.token();
            parameters.putIfAbsent(name, value);
        }
    }

    /**
     * Whether this is JSON in UTF-8: {@code application/json} or {@code application/*+json}
     * (RFC 6839 §3.1), without a {@code charset} or with {@code charset=utf-8} (RFC 8259 §8.1).
     */
    public boolean isJsonUtf8() {
        boolean json = type.equals("application") && (subtype.equals("json") || subtype.endsWith("+json"));
        String charset = parameters.get("charset");
        return json && (charset == null || charset.equalsIgnoreCase("utf-8"));
    }

    /** {@code type/subtype} without parameters. */
    public String essence() {
        return type + "/" + subtype;
    }

    /** A position in a header value, with the RFC 9110 §5.6 token and quoted-string rules. */
    static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(at);
        }

        void skipWhitespace() {
            while (!atEnd() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + at + " of " + text);
            }
            at++;
        }

        String token() {
            int start = at;
            while (!atEnd() && isTokenChar(text.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("expected a token at position " + at + " of " + text);
            }
            return text.substring(start, at);
        }

        String quotedString() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new IllegalArgumentException("unterminated quoted string in " + text);
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        throw new IllegalArgumentException("unterminated quoted string in " + text);
                    }
                    c = text.charAt(at++);
                }
                value.append(c);
            }
        }

        /** tchar of RFC 9110 §5.6.2. */
        private static boolean isTokenChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
