package gaming.gateway.transcode;

/**
 * Finds a {@code \}{@code uXXXX} escape in JSON text that names half of a UTF-16 surrogate pair
 * without the other half ({@code "\}{@code ud800"}). Such a string is not Unicode text (RFC 8259
 * §8.2 leaves its meaning undefined); Java would turn it into {@code ?} when encoding UTF-8, so
 * that different keys would collide. Raw (unescaped) surrogates cannot occur: the body was decoded
 * as strict UTF-8 before.
 */
final class LoneSurrogates {
    private LoneSurrogates() {
    }

    /**
     * The index in {@code json} of the first lone surrogate escape, or -1. One pass, and none at
     * all when the text has no {@code \}{@code u}.
     */
    static int find(String json) {
        int at = json.indexOf("\\u");
        if (at < 0) {
            return -1;
        }
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (!inString) {
                inString = c == '"';
                continue;
            }
            if (c == '"') {
                inString = false;
            } else if (c == '\\' && i + 1 < json.length()) {
                if (json.charAt(i + 1) != 'u') {
                    i++;   // a two-character escape such as \\ or \"
                    continue;
                }
                int unit = unit(json, i);
                if (unit < 0) {
                    return -1;   // a malformed escape: the JSON parser reports it
                }
                if (Character.isLowSurrogate((char) unit)) {
                    return i;
                }
                if (Character.isHighSurrogate((char) unit)) {
                    int next = json.startsWith("\\u", i + 6) ? unit(json, i + 6) : -1;
                    if (next < 0 || !Character.isLowSurrogate((char) next)) {
                        return i;
                    }
                    i += 6;
                }
                i += 5;
            }
        }
        return -1;
    }

    /** The code unit of the {@code \}{@code uXXXX} escape at {@code at}, or -1 when it is not one. */
    private static int unit(String json, int at) {
        if (at + 6 > json.length()) {
            return -1;
        }
        int value = 0;
        for (int i = at + 2; i < at + 6; i++) {
            int digit = Character.digit(json.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
