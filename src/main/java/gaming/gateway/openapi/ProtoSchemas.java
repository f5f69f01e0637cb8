package gaming.gateway.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON Schemas (draft 2020-12, as OpenAPI 3.1 uses) of Protobuf messages, by the proto3 JSON mapping
 * the gateway implements (protobuf.dev/programming-guides/json): 64-bit integers as decimal strings
 * (a JSON number is accepted in requests), enums by value name, {@code bytes} as base64,
 * {@code Struct}/{@code Value}/{@code ListValue} as JSON object/any value/array, {@code Timestamp}
 * as an RFC 3339 date-time string and {@code Duration} as seconds with an {@code s} suffix, maps as
 * objects, wrappers as their wrapped value. Properties carry the proto field names, which replies
 * use; requests may use each field's lowerCamelCase JSON name instead (said in each object's
 * description). Each message and enum is one component, named by its full Protobuf name.
 */
final class ProtoSchemas {
    /** Where component schemas are referenced from. */
    static final String REF_PREFIX = "#/components/schemas/";

    private static final String INT64_PATTERN = "^-?[0-9]+$";
    private static final String UINT64_PATTERN = "^[0-9]+$";
    private static final String DURATION_PATTERN = "^-?[0-9]+(\\.[0-9]{1,9})?s$";

    private final ProtoComments comments;
    private final Map<String, Schema> components = new TreeMap<>();

    ProtoSchemas(ProtoComments comments) {
        this.comments = comments;
    }

    /** A reference to the schema of {@code type}, adding its component (and those it uses) when new. */
    Schema ref(Descriptor type) {
        Schema wellKnown = wellKnown(type);
        if (wellKnown != null) {
            return wellKnown;
        }
        if (!components.containsKey(type.getFullName())) {
            components.put(type.getFullName(), new JsonSchema()); // placeholder against recursion
            components.put(type.getFullName(), message(type));
        }
        return new JsonSchema().$ref(REF_PREFIX + type.getFullName());
    }

    /** The components made so far, by full name. */
    Map<String, Schema> components() {
        return components;
    }

    private Schema message(Descriptor type) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            Schema schema = field.isMapField() ? map(field) : field.isRepeated()
                    ? new JsonSchema().types(Set.of("array")).items(single(field))
                    : single(field);
            String comment = comments.get(type.getFullName() + "." + field.getName());
            if (field.getRealContainingOneof() != null) {
                comment = (comment == null ? "" : comment + "\n") + "At most one field of oneof "
                        + field.getRealContainingOneof().getName() + " is set.";
            }
            if (comment != null) {
                schema.description(schema.getDescription() == null ? comment : comment + "\n" + schema.getDescription());
            }
            properties.put(field.getName(), schema);
        }
        String comment = comments.get(type.getFullName());
        return new JsonSchema()
                .types(Set.of("object"))
                .title(type.getFullName())
                .description((comment == null ? "" : comment + "\n\n")
                        + "Protobuf message " + type.getFullName() + " in proto3 JSON. Field names are the proto names"
                        + " listed here; requests may use the lowerCamelCase JSON names instead" + example(type) + ".")
                .properties(properties);
    }

    private static String example(Descriptor type) {
        for (FieldDescriptor field : type.getFields()) {
            if (!field.getJsonName().equals(field.getName())) {
                return " (e.g. " + field.getName() + " or " + field.getJsonName() + ")";
            }
        }
        return "";
    }

    private Schema map(FieldDescriptor field) {
        FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
        return new JsonSchema().types(Set.of("object")).additionalProperties(single(value));
    }

    /** The schema of one value of {@code field}. */
    private Schema single(FieldDescriptor field) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> integer("int32");
            case UINT32, FIXED32 -> integer("uint32").minimum(java.math.BigDecimal.ZERO);
            case INT64, SINT64, SFIXED64 -> int64("int64", INT64_PATTERN);
            case UINT64, FIXED64 -> int64("uint64", UINT64_PATTERN);
            case FLOAT -> new JsonSchema().types(Set.of("number")).format("float");
            case DOUBLE -> new JsonSchema().types(Set.of("number")).format("double");
            case BOOL -> new JsonSchema().types(Set.of("boolean"));
            case STRING -> new JsonSchema().types(Set.of("string"));
            case BYTES -> new JsonSchema().types(Set.of("string")).contentEncoding("base64");
            case ENUM -> enumRef(field.getEnumType());
            case MESSAGE, GROUP -> ref(field.getMessageType());
        };
    }

    private static Schema integer(String format) {
        return new JsonSchema().types(Set.of("integer")).format(format);
    }

    /** 64-bit integers: decimal strings in replies (JavaScript numbers lose precision past 2^53). */
    private static Schema int64(String format, String pattern) {
        return new JsonSchema().types(new LinkedHashSet<>(List.of("string", "integer"))).format(format).pattern(pattern)
                .description("64-bit integer, written as a decimal string; requests may send a JSON number");
    }

    private Schema enumRef(EnumDescriptor type) {
        if (type.getFullName().equals("google.protobuf.NullValue")) {
            return new JsonSchema().types(Set.of("null"));
        }
        if (!components.containsKey(type.getFullName())) {
            List<Object> names = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            String comment = comments.get(type.getFullName());
            if (comment != null) {
                text.append(comment).append("\n\n");
            }
            text.append("Enum ").append(type.getFullName()).append(" by value name; requests may send the number.");
            for (EnumValueDescriptor value : type.getValues()) {
                names.add(value.getName());
                String valueComment = comments.get(type.getFullName() + "." + value.getName());
                if (valueComment != null) {
                    text.append("\n- ").append(value.getName()).append(": ").append(valueComment);
                }
            }
            JsonSchema schema = new JsonSchema();
            schema.types(Set.of("string")).title(type.getFullName()).description(text.toString());
            schema.setEnum(names);
            components.put(type.getFullName(), schema);
        }
        return new JsonSchema().$ref(REF_PREFIX + type.getFullName());
    }

    /** Inline schemas of the well-known types with a JSON form of their own; null for other types. */
    private Schema wellKnown(Descriptor type) {
        return switch (type.getFullName()) {
            case "google.protobuf.Struct" -> new JsonSchema().types(Set.of("object"))
                    .description("google.protobuf.Struct: any JSON object");
            case "google.protobuf.Value" -> new JsonSchema()
                    .description("google.protobuf.Value: any JSON value");
            case "google.protobuf.ListValue" -> new JsonSchema().types(Set.of("array"))
                    .description("google.protobuf.ListValue: a JSON array");
            case "google.protobuf.Timestamp" -> new JsonSchema().types(Set.of("string")).format("date-time")
                    .description("google.protobuf.Timestamp: RFC 3339 date-time in UTC, e.g. 2026-01-02T03:04:05.678Z");
            case "google.protobuf.Duration" -> new JsonSchema().types(Set.of("string")).format("duration-seconds")
                    .pattern(DURATION_PATTERN)
                    .description("google.protobuf.Duration: seconds with up to 9 decimals and an 's', e.g. 1.5s");
            case "google.protobuf.FieldMask" -> new JsonSchema().types(Set.of("string"))
                    .description("google.protobuf.FieldMask: comma-separated lowerCamelCase field paths");
            case "google.protobuf.Empty" -> new JsonSchema().types(Set.of("object"));
            case "google.protobuf.Any" -> new JsonSchema().types(Set.of("object"))
                    .description("google.protobuf.Any: an object with \"@type\" and the fields of that type");
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int32Value",
                 "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
                 "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" ->
                    single(type.findFieldByName("value")).description(type.getFullName() + ": the wrapped value");
            default -> null;
        };
    }
}
