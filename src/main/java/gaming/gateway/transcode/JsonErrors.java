package gaming.gateway.transcode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a request body is not valid JSON in the gateway's words: where (line and column, and
 * the JSON path, as {@code $.params.stream}) and what was expected, instead of the JSON library's
 * message (which names its own classes and settings and links its troubleshooting guide).
 */
public final class JsonErrors {
    /** Gson's location suffix: {@code " at line 1 column 7 path $.a"}. */
    private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column (\\d+) path (\\S*)");
    /** {@code "Expected BEGIN_OBJECT but was STRING"}, {@code "Expected an int but was 1.5"}. */
    private static final Pattern EXPECTED = Pattern.compile("Expected (.+?) but was (.+?)(?: at line .*)?$");

    private JsonErrors() {
    }

    /**
     * The gateway's description of {@code e}, thrown while reading a request body as JSON, to follow
     * the name of the type: {@code " at line 1 column 9 ($.params): expected ':' after a field name"},
     * or {@code ": field model_id is given twice"} where the error has no location.
     *
     * @param e the JSON library's exception (Gson's {@code JsonParseException} or its cause)
     * @return the description, starting with {@code " at line"} or {@code ": "}
     */
    public static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int see = message.indexOf("\nSee ");
        if (see >= 0) {
            message = message.substring(0, see);
        }
        message = message.replace("com.google.gson.stream.MalformedJsonException: ", "")
                .replace("com.google.gson.JsonSyntaxException: ", "")
                .replace("java.io.EOFException: ", "")
                .strip();
        Matcher location = LOCATION.matcher(message);
        String where = ": ";
        String what = message;
        if (location.find()) {
            String path = location.group(3);
            where = " at line " + location.group(1) + " column " + location.group(2)
                    + (path.isEmpty() || path.equals("$") || path.equals("$.") ? "" : " (" + path + ")") + ": ";
            what = message.substring(0, location.start()) + message.substring(location.end());
        }
        return where + words(what.strip());
    }

    /** {@code " at line L column C"} of the character at {@code offset} in {@code text} (both from 1). */
    static String position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " at line " + line + " column " + (offset - lineStart + 1);
    }

    private static String words(String what) {
        Matcher expected = EXPECTED.matcher(what);
        if (expected.matches()) {
            return "expected " + token(expected.group(1)) + " but found " + token(expected.group(2));
        }
        if (what.startsWith("Use JsonReader.setStrictness") || what.startsWith("Use JsonReader.setLenient")) {
            return "not strict JSON (comments, single quotes, unquoted names and values, or text after the object)";
        }
        if (what.startsWith("Expected name")) {
            return "expected a field name in double quotes";
        }
        if (what.startsWith("Expected ':'")) {
            return "expected ':' after a field name";
        }
        if (what.startsWith("Unterminated object")) {
            return "expected ',' or '}' after a field's value";
        }
        if (what.startsWith("Unterminated array")) {
            return "expected ',' or ']' after a list element";
        }
        if (what.startsWith("Unterminated string")) {
            return "a string is not closed";
        }
        if (what.startsWith("Unterminated escape") || what.startsWith("Malformed Unicode escape")
                || what.startsWith("Invalid escape")) {
            return "invalid escape sequence in a string";
        }
        if (what.startsWith("Expected value")) {
            return "expected a value";
        }
        if (what.startsWith("Unexpected value")) {
            return "a value where none may be";
        }
        if (what.startsWith("End of input")) {
            return "the body ends before the JSON is complete";
        }
        if (what.startsWith("Nesting limit")) {
            return "JSON is nested too deeply";
        }
        if (what.startsWith("JSON forbids NaN")) {
            return "NaN and infinities are not JSON numbers";
        }
        if (what.startsWith("Cannot skip unexpected") || what.isEmpty()) {
            return "malformed JSON";
        }
        return what;
    }

    /** A token name of the JSON library, or a value, in words. */
    private static String token(String token) {
        return switch (token) {
            case "BEGIN_OBJECT" -> "an object";
            case "END_OBJECT" -> "the end of an object";
            case "BEGIN_ARRAY" -> "a list";
            case "END_ARRAY" -> "the end of a list";
            case "STRING" -> "a string";
            case "NUMBER" -> "a number";
            case "BOOLEAN" -> "true or false";
            case "NULL" -> "null";
            case "NAME" -> "a field name";
            case "END_DOCUMENT" -> "the end of the body";
            default -> token;
        };
    }
}
