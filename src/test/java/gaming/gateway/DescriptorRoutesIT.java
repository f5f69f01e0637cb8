package gaming.gateway;

import gaming.testing.GatewayFixture;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.Problems;
import gaming.testing.SseClient;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import io.nats.client.Dispatcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * A route whose message types exist only in a descriptor set ({@code src/test/proto/dice/v1}, built
 * into {@code target/test-classes/descriptors/dice.binpb} by the Maven build, with no Java classes):
 * JSON to DynamicMessage to NATS and back to JSON, with the path parameter and Meta filled, a
 * service error mapped through the route's status override, a stream of chunks as SSE, and the
 * route's metrics. The test service is a plain jnats dispatcher working on DynamicMessages of the
 * same descriptor set.
 */
class DescriptorRoutesIT {
    private static final Path SET = Path.of("target/test-classes/descriptors/dice.binpb");

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(), Path.of("src/test/resources/dice-routes.yaml"));

    private static Http http;
    private static Map<String, Descriptor> types;
    private static final BlockingQueue<DynamicMessage> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        types = messageTypes(FileDescriptorSet.parseFrom(Files.readAllBytes(SET)));
        Dispatcher dispatcher = fx.service().createDispatcher(msg -> {
            DynamicMessage request;
            try {
                request = DynamicMessage.parseFrom(types.get("dice.v1.RollRequest"), msg.getData());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            received.add(request);
            for (byte[] answer : answer(request)) {
                fx.service().publish(msg.getReplyTo(), answer);
            }
        });
        dispatcher.subscribe("test.dice.roll");
        fx.service().flush(Duration.ofSeconds(5));
        http = fx.http();
    }

    @Test
    void jsonRoundTripsThroughDynamicMessages() throws Exception {
        received.clear();
        Metrics before = Metrics.scrape(http);
        HttpResponse<String> res = http.post("/dice/tables/t1/roll",
                "{\"sides\":6,\"count\":3,\"seed\":\"42\",\"mode\":\"MODE_SUM\",\"tags\":{\"table\":\"green\"}}",
                "X-Trace-ID", "dice-1", "X-User-ID", "user_1", "X-Custom-Room", "lobby");

        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Type").orElse(""), is("application/json"));
        assertThat(res.body(), is("{\"meta\":{\"trace_id\":\"dice-1\"},\"values\":[\"1\",\"2\",\"3\"],\"total\":\"6\","
                                  + "\"mode\":\"MODE_SUM\",\"rolled_at\":\"2023-11-14T22:13:20Z\"}"));
        DynamicMessage request = received.poll(5, TimeUnit.SECONDS);
        assertThat(field(request, "table_id"), is("t1"));
        assertThat(field(request, "seed"), is(42L));
        assertThat(((com.google.protobuf.Descriptors.EnumValueDescriptor) field(request, "mode")).getName(), is("MODE_SUM"));
        common.v1.Meta meta = common.v1.Meta.parseFrom(((Message) field(request, "meta")).toByteString());
        assertThat(meta.getTraceId(), is("dice-1"));
        assertThat(meta.getUserId(), is("user_1"));
        assertThat(meta.getLabelsMap(), is(Map.of("room", "lobby")));
        assertThat(meta.getRequestId().length(), is(32));
        Metrics after = Metrics.scrape(http);
        assertThat(after.delta(before, "gateway_request_duration_seconds_count", "route", "dice-roll", "status", "200"),
                   is(1.0));
    }

    @Test
    void lowerCamelCaseNamesAreAcceptedAsForCompiledTypes() throws Exception {
        received.clear();
        HttpResponse<String> res = http.post("/dice/tables/t2/roll", "{\"sides\":2,\"count\":1,\"tableId\":\"ignored\"}");
        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(field(received.poll(5, TimeUnit.SECONDS), "table_id"), is("t2"));
    }

    @Test
    void aServiceErrorIsMappedThroughTheRouteStatusOverride() {
        HttpResponse<String> res = http.post("/dice/tables/missing/roll", "{\"sides\":6,\"count\":1}");
        Struct problem = Problems.assertProblem(res, 410, "NOT_FOUND");
        assertThat(problem.getFieldsOrThrow("detail").getStringValue(), is("no table missing"));
        assertThat(problem.getFieldsOrThrow("details").getStructValue().getFieldsOrThrow("table_id").getStringValue(),
                   is("missing"));
    }

    @Test
    void badJsonForADynamicTypeIsA400() {
        Problems.assertProblem(http.post("/dice/tables/t1/roll", "{\"sides\":\"many\"}"), 400, "INVALID_ARGUMENT");
        Problems.assertProblem(http.post("/dice/tables/t1/roll", "{\"seed\":\"12x\"}"), 400, "INVALID_ARGUMENT");
    }

    @Test
    void chunksStreamAsServerSentEvents() {
        try (SseClient client = SseClient.post(fx.gateway().port(), "/dice/tables/t1/roll",
                                               "{\"sides\":6,\"count\":3,\"seed\":\"20\",\"stream\":true}")) {
            assertThat(client.status(), is(200));
            List<SseClient.Event> events = client.rest();
            assertThat(events.size(), is(3));
            for (int i = 0; i < 3; i++) {
                assertThat(events.get(i).id(), is(String.valueOf(i)));
                assertThat(events.get(i).name(), nullValue());
                assertThat(events.get(i).data(), is("{\"generation_id\":\"roll-20\",\"index\":" + i + ",\"is_final\":"
                                                    + (i == 2) + ",\"value\":\"" + (21 + i) % 6 + "\"}"));
            }
        }
    }

    @Test
    void theStreamFlagAloneAsksForAStreamOnlyWhenAcceptAllowsIt() {
        HttpResponse<String> res = http.post("/dice/tables/t1/roll", "{\"sides\":6,\"count\":2,\"stream\":true}");
        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Type").orElse(""), is("text/event-stream"));
    }

    /** The service: rolls seed+1, seed+2, ... modulo sides; table "missing" is NOT_FOUND; stream=true streams. */
    private static List<byte[]> answer(DynamicMessage request) {
        String table = (String) field(request, "table_id");
        long seed = (long) field(request, "seed");
        int sides = (int) field(request, "sides");
        int count = (int) field(request, "count");
        common.v1.Meta meta;
        try {
            meta = common.v1.Meta.parseFrom(((Message) field(request, "meta")).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        DynamicMessage.Builder reply = DynamicMessage.newBuilder(types.get("dice.v1.RollReply"));
        set(reply, "meta", message("common.v1.Meta", Map.of("trace_id", meta.getTraceId())));
        if (table.equals("missing")) {
            DynamicMessage.Builder error = DynamicMessage.newBuilder(types.get("common.v1.Error"));
            var code = types.get("common.v1.Error").findFieldByName("code");
            error.setField(code, code.getEnumType().findValueByName("NOT_FOUND"));
            set(error, "message", "no table " + table);
            var details = types.get("common.v1.Error").findFieldByName("details");
            error.addRepeatedField(details, message(details.getMessageType().getFullName(),
                                                    Map.of("key", "table_id", "value", table)));
            set(reply, "error", error.build());
            return List.of(reply.build().toByteArray());
        }
        if ((boolean) field(request, "stream")) {
            List<byte[]> chunks = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                chunks.add(message("dice.v1.RollChunk", Map.of("generation_id", "roll-" + seed, "index", i,
                                                               "is_final", i == count - 1,
                                                               "value", (seed + 1 + i) % sides)).toByteArray());
            }
            return chunks;
        }
        var values = types.get("dice.v1.RollReply").findFieldByName("values");
        long total = 0;
        for (int i = 0; i < count; i++) {
            long value = (seed + 1 + i) % sides;
            reply.addRepeatedField(values, value);
            total += value;
        }
        set(reply, "total", total);
        reply.setField(types.get("dice.v1.RollReply").findFieldByName("mode"), field(request, "mode"));
        set(reply, "rolled_at", message("google.protobuf.Timestamp", Map.of("seconds", 1_700_000_000L)));
        return List.of(reply.build().toByteArray());
    }

    private static Object field(Message message, String name) {
        return message.getField(message.getDescriptorForType().findFieldByName(name));
    }

    private static void set(Message.Builder builder, String name, Object value) {
        builder.setField(builder.getDescriptorForType().findFieldByName(name), value);
    }

    private static DynamicMessage message(String type, Map<String, Object> fields) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(types.get(type));
        fields.forEach((name, value) -> set(builder, name, value));
        return builder.build();
    }

    /** Every message type of the set, built without the gateway's code (files come dependencies first). */
    private static Map<String, Descriptor> messageTypes(FileDescriptorSet set) throws Exception {
        Map<String, FileDescriptor> files = new HashMap<>();
        Map<String, Descriptor> messages = new HashMap<>();
        for (FileDescriptorProto proto : set.getFileList()) {
            FileDescriptor[] dependencies = proto.getDependencyList().stream().map(files::get)
                    .toArray(FileDescriptor[]::new);
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
            files.put(proto.getName(), file);
            for (Descriptor type : file.getMessageTypes()) {
                messages.put(type.getFullName(), type);
                for (Descriptor nested : type.getNestedTypes()) {
                    messages.put(nested.getFullName(), nested);
                }
            }
        }
        return messages;
    }
}
