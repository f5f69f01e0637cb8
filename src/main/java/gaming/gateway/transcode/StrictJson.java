package gaming.gateway.transcode;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One strict pass over a request body, guided by the message type, before the lenient protobuf
 * JSON parser sees it. Rejects what that parser would accept but a client cannot mean: text that
 * is not strict JSON (trailing text, single quotes, comments, unquoted names), numbers beyond the
 * range of a double ({@code 1e999}, which would be stored as infinity and break every later read
 * of it), a list where a field takes one value ({@code "player_level":[1]}), and a name given twice
 * in one object, also as proto and JSON name ({@code "model_id"} and {@code "modelId"}), where the
 * lenient parser would keep one of them silently. {@link #parse} gives the same strictness to a
 * body that is no protobuf message (the admin API's).
 */
public final class StrictJson {
    /** Per type, its fields by JSON and proto name: no descriptor look-up per request. */
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS_BY_NAME = new ConcurrentHashMap<>();

    private StrictJson() {
    }

    /**
     * {@code json} as a JSON value, read strictly (RFC 8259): strict syntax, nothing after the
     * value, finite numbers, and in every object each name once (where a plain JSON parser keeps
     * the last of two, silently).
     *
     * @throws IOException Gson's {@code MalformedJsonException} or {@code EOFException} saying what is
     *                     wrong and where, e.g. {@code "name percent is given twice"}; worded for a
     *                     client by {@link JsonErrors#describe}
     */
    public static JsonElement parse(String json) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        any(reader);
        end(reader);
        return JsonParser.parseString(json);
    }

    static void check(String json, Descriptor type) throws IOException {
        JsonReader reader = open(json);
        object(reader, type);
        end(reader);
    }

    /** A strict reader over {@code json}, which must be a JSON object. */
    static JsonReader open(String json) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new MalformedJsonException("the body must be a JSON object");
        }
        return reader;
    }

    /** Checks that nothing follows the object {@code reader} has read. */
    static void end(JsonReader reader) throws IOException {
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new MalformedJsonException("text after the JSON object");
        }
    }

    private static void object(JsonReader reader, Descriptor type) throws IOException {
        reader.beginObject();
        Set<Object> seen = new HashSet<>();
        while (reader.hasNext()) {
            String name = reader.nextName();
            FieldDescriptor field = field(type, name);
            if (!seen.add(field == null ? name : field)) {
                throw new MalformedJsonException("field " + name + " is given twice");
            }
            if (field == null) {
                any(reader);
            } else if (field.isMapField()) {
                map(reader, field);
            } else if (field.isRepeated()) {
                list(reader, field);
            } else {
                single(reader, field);
            }
        }
        reader.endObject();
    }

    private static void single(JsonReader reader, FieldDescriptor field) throws IOException {
        JsonToken token = reader.peek();
        if (token == JsonToken.BEGIN_ARRAY && !isWellKnown(field)) {
            throw new MalformedJsonException("field " + field.getName() + " takes one value, not a list");
        }
        if (token == JsonToken.BEGIN_OBJECT && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && !isWellKnown(field)) {
            object(reader, field.getMessageType());
        } else {
            any(reader);
        }
    }

    private static void list(JsonReader reader, FieldDescriptor field) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            any(reader);
            return;
        }
        reader.beginArray();
        while (reader.hasNext()) {
            single(reader, field);
        }
        reader.endArray();
    }

    private static void map(JsonReader reader, FieldDescriptor field) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            any(reader);
            return;
        }
        FieldDescriptor value = mapValue(field);
        Set<String> keys = new HashSet<>();
        reader.beginObject();
        while (reader.hasNext()) {
            uniqueName(reader, keys);
            single(reader, value);
        }
        reader.endObject();
    }

    /** Any value, checked for strict syntax and finite numbers. */
    static void any(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_ARRAY -> {
                reader.beginArray();
                while (reader.hasNext()) {
                    any(reader);
                }
                reader.endArray();
            }
            case BEGIN_OBJECT -> {
                Set<String> names = new HashSet<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    uniqueName(reader, names);
                    any(reader);
                }
                reader.endObject();
            }
            case NUMBER -> finite(reader.nextString());
            default -> reader.skipValue();
        }
    }

    /** The next name of an object whose names so far are {@code names}; a name given twice is rejected. */
    static String uniqueName(JsonReader reader, Set<String> names) throws IOException {
        String name = reader.nextName();
        if (!names.add(name)) {
            throw new MalformedJsonException("name " + name + " is given twice");
        }
        return name;
    }

    /** {@code number}, the text of a JSON number, unless it is infinite as a double. */
    static String finite(String number) throws MalformedJsonException {
        if (Double.isInfinite(Double.parseDouble(number))) {
            throw new MalformedJsonException("number " + abbreviate(number) + " is out of range");
        }
        return number;
    }

    /** The key field of a map field's entry type (field 1, as every map entry has). */
    static FieldDescriptor mapKey(FieldDescriptor mapField) {
        return mapField.getMessageType().findFieldByNumber(1);
    }

    /** The value field of a map field's entry type (field 2). */
    static FieldDescriptor mapValue(FieldDescriptor mapField) {
        return mapField.getMessageType().findFieldByNumber(2);
    }

    /** The field named {@code name} in {@code type}, by proto name or else by JSON name, or null. */
    static FieldDescriptor field(Descriptor type, String name) {
        return FIELDS_BY_NAME.computeIfAbsent(type, StrictJson::fieldsByName).get(name);
    }

    private static Map<String, FieldDescriptor> fieldsByName(Descriptor type) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        type.getFields().forEach(field -> byName.put(field.getJsonName(), field));
        type.getFields().forEach(field -> byName.put(field.getName(), field));   // the proto name wins
        return Map.copyOf(byName);
    }

    /** google.protobuf types (Struct, Value, ListValue, Timestamp, ...) have their own JSON forms. */
    private static boolean isWellKnown(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFile().getPackage().equals("google.protobuf");
    }

    static String abbreviate(String number) {
        return number.length() > 20 ? number.substring(0, 20) + "..." : number;
    }
}
