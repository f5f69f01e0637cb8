package gaming.gateway.migration;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a comparison sees of an event stream ({@code text/event-stream}, as the HTML Living
 * Standard's "server-sent events" section frames it: events end at a blank line, {@code data:}
 * lines joined by a line feed, one space after the colon dropped, {@code event:} names it, comment
 * lines start with a colon): the text deltas of all chunks concatenated, the final chunk, and the
 * error that ended the stream, if one did.
 *
 * @param text  the string members whose name ends in {@code delta} (any case: {@code outputTextDelta},
 *              {@code output_text_delta}), each concatenated over the chunks at its path, e.g.
 *              {@code {"delta":{"outputTextDelta":"Once upon a time"}}}
 * @param last  the last chunk (event without a name, or named {@code message}); JSON null when none
 * @param error the {@code code} of an {@code event: error}'s problem+json (its whole data when it
 *              has none); JSON null when the stream did not end with an error
 */
record StreamDigest(JsonObject text, JsonElement last, JsonElement error) {
    /** Reads {@code sse}, the bytes of an event stream as UTF-8 text. */
    static StreamDigest of(String sse) {
        JsonObject text = new JsonObject();
        JsonElement last = JsonNull.INSTANCE;
        JsonElement error = JsonNull.INSTANCE;
        for (Event event : events(sse)) {
            JsonElement data = parse(event.data());
            if (event.name().equals("error")) {
                error = data.isJsonObject() && data.getAsJsonObject().has("code") ? data.getAsJsonObject().get("code") : data;
            } else if (event.name().isEmpty() || event.name().equals("message")) {
                if (data.isJsonObject()) {
                    deltas(data.getAsJsonObject(), text);
                }
                last = data;
            }
        }
        return new StreamDigest(text, last, error);
    }

    /**
     * The differences between two streams: the concatenated deltas under {@code (text)}, the final
     * chunk under {@code (final)}, each compared by {@code diff} (its ignored and unordered paths are
     * those of a chunk), and a different ending under {@code (error)}.
     */
    static List<JsonDiff.Difference> compare(JsonDiff diff, StreamDigest left, StreamDigest right) {
        List<JsonDiff.Difference> out = new ArrayList<>();
        for (JsonDiff.Difference d : diff.compare(left.text, right.text)) {
            out.add(new JsonDiff.Difference("(text)" + d.path(), d.left(), d.right()));
        }
        for (JsonDiff.Difference d : diff.compare(left.last, right.last)) {
            out.add(new JsonDiff.Difference("(final)" + d.path(), d.left(), d.right()));
        }
        if (!left.error.equals(right.error)) {
            out.add(new JsonDiff.Difference("(error)", left.error, right.error));
        }
        return out;
    }

    private record Event(String name, String data) {
    }

    private static List<Event> events(String sse) {
        List<Event> out = new ArrayList<>();
        String name = "";
        StringBuilder data = null;
        for (String line : sse.split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(new Event(name, data.toString()));
                }
                name = "";
                data = null;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                continue; // a comment, e.g. a keep-alive
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                name = value;
            } else if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        if (data != null) {
            out.add(new Event(name, data.toString())); // a stream cut off after its last data line
        }
        return out;
    }

    /** Appends the delta strings of {@code chunk} to those at the same path in {@code into}. */
    private static void deltas(JsonObject chunk, JsonObject into) {
        for (var member : chunk.entrySet()) {
            String key = member.getKey();
            JsonElement value = member.getValue();
            if (value.isJsonObject()) {
                JsonObject child = into.has(key) && into.get(key).isJsonObject() ? into.getAsJsonObject(key) : new JsonObject();
                deltas(value.getAsJsonObject(), child);
                if (!child.isEmpty()) {
                    into.add(key, child);
                }
            } else if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    && key.toLowerCase(Locale.ROOT).endsWith("delta")) {
                JsonElement before = into.get(key);
                String prefix = before != null && before.isJsonPrimitive() ? before.getAsString() : "";
                into.addProperty(key, prefix + value.getAsString());
            }
        }
    }

    private static JsonElement parse(String data) {
        try {
            return JsonParser.parseString(data);
        } catch (JsonParseException e) {
            return new JsonPrimitive(data);
        }
    }
}
