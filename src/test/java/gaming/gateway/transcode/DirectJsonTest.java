package gaming.gateway.transcode;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.model.v1.GetModelRequest;
import ai.model.v1.ListModelsRequest;
import ai.model.v1.SelectModelRequest;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import npc.behavior.v1.PlanBehaviorRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestRequest;
import state.manager.v1.GetStateRequest;
import state.manager.v1.UpdateStateRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@link DirectJson} against protobuf-java-util's {@code JsonFormat} (after {@link StrictJson}) on
 * generated documents: valid values, edge values and wrong types for every field of the request
 * types. Where both accept, the messages are equal; {@code DirectJson} never accepts what the
 * reference rejects, and rejects what it accepts only for a bool given as something else.
 */
class DirectJsonTest {
    private static final int DOCUMENTS = 4000;

    static Stream<Message> supported() {
        return Stream.of(InferRequest.getDefaultInstance(), CancelRequest.getDefaultInstance(),
                         ListModelsRequest.getDefaultInstance(), GetModelRequest.getDefaultInstance(),
                         SelectModelRequest.getDefaultInstance(), GetStateRequest.getDefaultInstance(),
                         GenerateQuestRequest.getDefaultInstance(), PlanBehaviorRequest.getDefaultInstance());
    }

    @Test
    void typesWithWellKnownTypesOrEnumsGoToJsonFormat() {
        assertThat(DirectJson.forType(UpdateStateRequest.getDescriptor(), true), nullValue()); // Struct
        assertThat(DirectJson.forType(InferChunk.getDescriptor(), true), nullValue());         // Error.Code
        assertThat(DirectJson.forType(InferRequest.getDescriptor(), true), notNullValue());
    }

    @ParameterizedTest
    @MethodSource("supported")
    void agreesWithJsonFormat(Message prototype) {
        List<String> problems = new ArrayList<>();
        Random random = new Random(prototype.getDescriptorForType().getFullName().hashCode());
        for (boolean ignoreUnknown : new boolean[] {true, false}) {
            DirectJson direct = DirectJson.forType(prototype.getDescriptorForType(), ignoreUnknown);
            assertThat(direct, notNullValue());
            JsonFormat.Parser reference = ignoreUnknown ? JsonFormat.parser().ignoringUnknownFields() : JsonFormat.parser();
            for (int i = 0; i < DOCUMENTS; i++) {
                String json = object(random, prototype.getDescriptorForType(), 0);
                Message expected = null;
                Exception expectedError = null;
                try {
                    StrictJson.check(json, prototype.getDescriptorForType());
                    Message.Builder b = prototype.newBuilderForType();
                    reference.merge(json, b);
                    expected = b.build();
                } catch (Exception e) {
                    expectedError = e;
                }
                Message actual = null;
                Exception actualError = null;
                try {
                    Message.Builder b = prototype.newBuilderForType();
                    direct.merge(json, b);
                    actual = b.build();
                } catch (Exception e) {
                    actualError = e;
                }
                if (expected != null && actual != null && !expected.equals(actual)) {
                    problems.add("different messages for " + json + ":\n  " + expected + "  vs\n  " + actual);
                } else if (expected == null && actual != null) {
                    problems.add("accepted what JsonFormat rejects (" + expectedError.getMessage() + "): " + json);
                } else if (expected != null && actual == null && !actualError.getMessage().contains("bool")) {
                    problems.add("rejected what JsonFormat accepts (" + actualError.getMessage() + "): " + json);
                }
            }
        }
        assertThat(String.join("\n", problems.subList(0, Math.min(5, problems.size()))), problems, is(empty()));
    }

    private static String object(Random random, Descriptor type, int depth) {
        StringBuilder json = new StringBuilder("{");
        List<FieldDescriptor> fields = type.getFields();
        int count = random.nextInt(fields.size() + 2);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            if (random.nextInt(12) == 0) {
                json.append("\"unknown_").append(random.nextInt(3)).append("\":").append(anyValue(random, depth));
                continue;
            }
            FieldDescriptor field = fields.get(random.nextInt(fields.size()));
            String name = random.nextBoolean() ? field.getName() : field.getJsonName();
            json.append('"').append(name).append("\":").append(fieldValue(random, field, depth));
        }
        return json.append('}').toString();
    }

    private static String fieldValue(Random random, FieldDescriptor field, int depth) {
        int pick = random.nextInt(20);
        if (pick == 0) {
            return "null";
        }
        if (pick == 1) {
            return anyValue(random, depth);
        }
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            StringBuilder map = new StringBuilder("{");
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                map.append(i > 0 ? "," : "").append("\"k").append(random.nextInt(3)).append("\":")
                        .append(single(random, value, depth));
            }
            return map.append('}').toString();
        }
        if (field.isRepeated()) {
            StringBuilder list = new StringBuilder("[");
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                list.append(i > 0 ? "," : "").append(random.nextInt(15) == 0 ? "null" : single(random, field, depth));
            }
            return list.append(']').toString();
        }
        return single(random, field, depth);
    }

    private static String single(Random random, FieldDescriptor field, int depth) {
        if (random.nextInt(8) == 0) {
            return anyValue(random, depth);
        }
        return switch (field.getJavaType()) {
            case MESSAGE -> depth > 3 ? "{}" : object(random, field.getMessageType(), depth + 1);
            case STRING -> pickOf(random, "\"\"", "\"text\"", "\"a\\u00e9\\n\"", "12", "true", "1.5e3");
            case BOOLEAN -> pickOf(random, "true", "false", "\"true\"", "\"false\"", "1", "0", "\"yes\"");
            default -> pickOf(random, "0", "1", "-1", "42", "2147483647", "2147483648", "-2147483649", "4294967295",
                              "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615",
                              "18446744073709551616", "1.0", "1.5", "1e2", "1e-2", "-0", "3.4028235e38", "3.5e38",
                              "1.7976931348623157e308", "\"7\"", "\"-7\"", "\"1e3\"", "\"NaN\"", "\"Infinity\"",
                              "\"-Infinity\"", "\"x\"", "\"\"", "0.30000000000000004", "1e400", "\"1e400\"");
        };
    }

    private static String anyValue(Random random, int depth) {
        return switch (random.nextInt(7)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "\"s\"";
            case 3 -> String.valueOf(random.nextInt(1000) - 500);
            case 4 -> depth > 2 ? "[]" : "[1,\"a\",{\"b\":null}]";
            case 5 -> depth > 2 ? "{}" : "{\"x\":[1,2],\"y\":{\"z\":true}}";
            default -> "1.25e2";
        };
    }

    private static String pickOf(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
