package gaming.gateway.transcode;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * JSON to Protobuf in one strict streaming pass, for message types made only of numbers, bools,
 * strings, nested messages of the same kind, repeated fields and string-keyed maps: most request
 * types. It follows the proto3 JSON mapping as protobuf-java-util's {@code JsonFormat} does (proto
 * or lowerCamelCase names, numbers as JSON numbers or strings, {@code null} as "not set"), and
 * rejects what {@link StrictJson} rejects; {@code DirectJsonTest} checks it against
 * {@code JsonFormat} on thousands of generated documents. One difference, on purpose: a bool
 * field takes only {@code true}/{@code false} (JsonFormat reads {@code 1} or {@code "yes"} as
 * false). Types with enums, bytes, oneofs or
 * well-known types ({@code Struct}, {@code Timestamp}, ...) go through {@code JsonFormat}.
 */
final class DirectJson {
    private final Descriptor type;
    private final boolean ignoreUnknownFields;

    private DirectJson(Descriptor type, boolean ignoreUnknownFields) {
        this.type = type;
        this.ignoreUnknownFields = ignoreUnknownFields;
    }

    /** A parser for {@code type}, or null when the type has something this parser leaves to JsonFormat. */
    static DirectJson forType(Descriptor type, boolean ignoreUnknownFields) {
        return supports(type, new HashSet<>()) ? new DirectJson(type, ignoreUnknownFields) : null;
    }

    private static boolean supports(Descriptor type, Set<String> seen) {
        if (!seen.add(type.getFullName())) {
            return true;
        }
        if (type.getFile().getPackage().equals("google.protobuf")) {
            return false;
        }
        for (FieldDescriptor field : type.getFields()) {
            if (field.getRealContainingOneof() != null) {
                return false;
            }
            switch (field.getJavaType()) {
                case INT, LONG, FLOAT, DOUBLE, BOOLEAN, STRING -> {
                }
                case MESSAGE -> {
                    if (field.isMapField()) {
                        FieldDescriptor key = StrictJson.mapKey(field);
                        FieldDescriptor value = StrictJson.mapValue(field);
                        if (key.getJavaType() != FieldDescriptor.JavaType.STRING
                                || value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                && !supports(value.getMessageType(), seen)
                                || value.getJavaType() == FieldDescriptor.JavaType.ENUM
                                || value.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
                            return false;
                        }
                    } else if (!supports(field.getMessageType(), seen)) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** Fills {@code builder} from {@code json}, a JSON object. */
    void merge(String json, Message.Builder builder) throws IOException {
        JsonReader reader = StrictJson.open(json);
        object(reader, builder, type);
        StrictJson.end(reader);
    }

    private void object(JsonReader reader, Message.Builder builder, Descriptor type) throws IOException {
        reader.beginObject();
        Set<Object> seen = null;
        while (reader.hasNext()) {
            String name = reader.nextName();
            FieldDescriptor field = StrictJson.field(type, name);
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(field == null ? name : field)) {
                throw new MalformedJsonException("field " + name + " is given twice");
            }
            if (field == null) {
                if (!ignoreUnknownFields) {
                    throw new InvalidJson("Cannot find field: " + name + " in message " + type.getFullName());
                }
                StrictJson.any(reader);
                continue;
            }
            if (reader.peek() == JsonToken.NULL) {
                reader.nextNull();
                continue;
            }
            if (field.isMapField()) {
                map(reader, builder, field);
            } else if (field.isRepeated()) {
                if (reader.peek() != JsonToken.BEGIN_ARRAY) {
                    throw new InvalidJson("Expected an array for " + field.getName());
                }
                reader.beginArray();
                while (reader.hasNext()) {
                    if (reader.peek() == JsonToken.NULL) {
                        throw new InvalidJson("Repeated field elements cannot be null in field: " + field.getName());
                    }
                    builder.addRepeatedField(field, value(reader, builder, field));
                }
                reader.endArray();
            } else {
                builder.setField(field, value(reader, builder, field));
            }
        }
        reader.endObject();
    }

    private void map(JsonReader reader, Message.Builder builder, FieldDescriptor field) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new InvalidJson("Expected an object for map field " + field.getName());
        }
        FieldDescriptor keyField = StrictJson.mapKey(field);
        FieldDescriptor valueField = StrictJson.mapValue(field);
        Set<String> keys = new HashSet<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = StrictJson.uniqueName(reader, keys);
            if (reader.peek() == JsonToken.NULL) {
                throw new InvalidJson("Map value cannot be null.");
            }
            Message.Builder entry = builder.newBuilderForField(field);
            entry.setField(keyField, key);
            entry.setField(valueField, value(reader, entry, valueField));
            builder.addRepeatedField(field, entry.build());
        }
        reader.endObject();
    }

    /** One value of {@code field} (an element, for a repeated field). */
    private Object value(JsonReader reader, Message.Builder parent, FieldDescriptor field) throws IOException {
        JsonToken token = reader.peek();
        switch (field.getJavaType()) {
            case MESSAGE -> {
                if (token != JsonToken.BEGIN_OBJECT) {
                    throw new InvalidJson("Expect message object but got: " + token + " for " + field.getName());
                }
                Message.Builder child = parent.newBuilderForField(field);
                object(reader, child, field.getMessageType());
                return child.build();
            }
            case STRING -> {
                return switch (token) {
                    case STRING, NUMBER -> number(reader, token);
                    case BOOLEAN -> String.valueOf(reader.nextBoolean());
                    default -> throw new InvalidJson("Expected a string for " + field.getName());
                };
            }
            case BOOLEAN -> {
                if (token == JsonToken.BOOLEAN) {
                    return reader.nextBoolean();
                }
                if (token == JsonToken.STRING) {
                    String text = reader.nextString();
                    if (text.equals("true") || text.equals("false")) {
                        return Boolean.valueOf(text);
                    }
                }
                throw new InvalidJson("Invalid bool value for " + field.getName());
            }
            default -> {
                if (token != JsonToken.NUMBER && token != JsonToken.STRING) {
                    throw new InvalidJson("Expected a number for " + field.getName());
                }
                return Numbers.parse(field, number(reader, token));
            }
        }
    }

    /** The text of a number or string token; a number that is infinite as a double is rejected. */
    private static String number(JsonReader reader, JsonToken token) throws IOException {
        String text = reader.nextString();
        return token == JsonToken.NUMBER ? StrictJson.finite(text) : text;
    }

    /** A JSON document that is well-formed but does not fit the message type. */
    static final class InvalidJson extends IOException {
        InvalidJson(String message) {
            super(message);
        }
    }

    /** Number text to a field's Java value, by the proto3 JSON rules. */
    private static final class Numbers {
        /** JsonFormat's bound: a little above Float.MAX_VALUE, for values printed with rounding. */
        private static final double MAX_FLOAT = Float.MAX_VALUE * (1.0 + 1e-6);

        static Object parse(FieldDescriptor field, String text) throws InvalidJson {
            try {
                return switch (field.getType()) {
                    case INT32, SINT32, SFIXED32 -> int32(text);
                    case UINT32, FIXED32 -> uint32(text);
                    case INT64, SINT64, SFIXED64 -> int64(text);
                    case UINT64, FIXED64 -> uint64(text);
                    case FLOAT -> floatValue(text);
                    case DOUBLE -> doubleValue(text);
                    default -> throw new InvalidJson("unsupported field type " + field.getType());
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InvalidJson("Not a " + field.getType().name().toLowerCase() + " value: "
                                              + StrictJson.abbreviate(text) + " for " + field.getName());
            }
        }

        private static int int32(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return new BigDecimal(text).intValueExact();
            }
        }

        private static int uint32(String text) {
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                value = new BigDecimal(text).longValueExact();
            }
            if (value < 0 || value > 0xFFFFFFFFL) {
                throw new ArithmeticException("out of range");
            }
            return (int) value;
        }

        private static long int64(String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return new BigDecimal(text).longValueExact();
            }
        }

        private static long uint64(String text) {
            java.math.BigInteger value = new BigDecimal(text).toBigIntegerExact();
            if (value.signum() < 0 || value.bitLength() > 64) {
                throw new ArithmeticException("out of range");
            }
            return value.longValue();
        }

        private static float floatValue(String text) {
            switch (text) {
                case "NaN" -> {
                    return Float.NaN;
                }
                case "Infinity" -> {
                    return Float.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Float.NEGATIVE_INFINITY;
                }
                default -> {
                    double value = Double.parseDouble(text);
                    if (Math.abs(value) > MAX_FLOAT) {
                        throw new ArithmeticException("out of range");
                    }
                    // JsonFormat goes through BigDecimal, which has no negative zero
                    return value == 0 ? 0f : (float) value;
                }
            }
        }

        private static double doubleValue(String text) {
            switch (text) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    double value = Double.parseDouble(text);
                    if (Double.isInfinite(value)) {
                        throw new ArithmeticException("out of range");
                    }
                    return value == 0 ? 0d : value;
                }
            }
        }
    }
}
