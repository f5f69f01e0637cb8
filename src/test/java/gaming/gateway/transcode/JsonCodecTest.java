package gaming.gateway.transcode;

import ai.llm.v1.Delta;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateRequest;

import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonCodecTest {
    private static final JsonCodec LENIENT = JsonCodec.create(InferRequest.getDefaultInstance(), false);
    private static final JsonCodec STRICT = JsonCodec.create(InferRequest.getDefaultInstance(), true);

    @Test
    void protoFieldNamesAreAccepted() {
        InferRequest request = parse(LENIENT, """
                {"model_id":"gpt-5-pro","input":{"prompt":"hi"},"params":{"max_tokens":64,"stream":true},
                 "idempotency_key":"k1"}""");

        assertThat(request.getModelId(), is("gpt-5-pro"));
        assertThat(request.getInput().getPrompt(), is("hi"));
        assertThat(request.getParams().getMaxTokens(), is(64));
        assertThat(request.getParams().getStream(), is(true));
        assertThat(request.getIdempotencyKey(), is("k1"));
    }

    @Test
    void lowerCamelCaseNamesAreAccepted() {
        InferRequest request = parse(STRICT, """
                {"modelId":"gpt-4.1","params":{"maxTokens":7},"idempotencyKey":"k2"}""");

        assertThat(request.getModelId(), is("gpt-4.1"));
        assertThat(request.getParams().getMaxTokens(), is(7));
        assertThat(request.getIdempotencyKey(), is("k2"));
    }

    @Test
    void unknownFieldsAreIgnoredByDefault() {
        InferRequest request = parse(LENIENT, """
                {"model_id":"m","legacy_flag":true,"params":{"max_tokens":3,"top_k":{"x":[1,2]}}}""");

        assertThat(request.getModelId(), is("m"));
        assertThat(request.getParams().getMaxTokens(), is(3));
    }

    @Test
    void unknownFieldsAreA400WhenRejected() {
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> STRICT.parse(utf8("{\"model_id\":\"m\",\"legacy_flag\":true}")));

        assertThat(e.status(), is(400));
        assertThat(e.getMessage(), containsString("legacy_flag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model_id\":",                        // truncated
            "{\"model_id\" \"x\"}",                  // missing colon
            "{\"model_id\":\"x\",}",                 // trailing comma
            "{\"params\":{\"max_tokens\":1.5}}",     // wrong type: fraction for int32
            "{\"params\":{\"max_tokens\":\"many\"}}",// wrong type: text for int32
            "{\"model_id\":{}}",                     // wrong type: object for string
            "{\"params\":\"fast\"}",                 // wrong type: string for message
            "{\"input\":[1]}",                       // wrong type: array for message
            "[]",                                    // top-level array
            "[{\"model_id\":\"x\"}]",
            "null",
            "42",
            "\"text\"",
    })
    void malformedJsonOrWrongTypesAreA400(String body) {
        assertBadRequest(LENIENT, utf8(body));
        assertBadRequest(STRICT, utf8(body));
    }

    /**
     * None of these is JSON (RFC 8259), yet a lenient JSON reader accepts them and the request
     * goes on with whatever it made of it.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model_id\":\"x\"} trailing garbage",
            "{\"model_id\":\"x\"}{\"model_id\":\"y\"}",
            "{'model_id':'x'}",
            "{model_id: x}",
            "/* comment */ {\"model_id\":\"x\"}",
    })
    void nonJsonSyntaxIsA400(String body) {
        assertBadRequest(LENIENT, utf8(body));
    }

    @Test
    void invalidUtf8IsA400() {
        byte[] loneByte = {'{', '"', 'm', 'o', 'd', 'e', 'l', '_', 'i', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'm', 'o', 'd', 'e', 'l', '_', 'i', 'd', '"', ':', '"',
                                   (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};

        assertBadRequest(LENIENT, loneByte);
        assertBadRequest(LENIENT, encodedSurrogate);
    }

    @Test
    void validMultibyteUtf8IsKept() {
        assertThat(parse(LENIENT, "{\"input\":{\"prompt\":\"héllo 😀\"}}").getInput().getPrompt(), is("héllo 😀"));
    }

    @Test
    void deepNestingIsA400() {
        JsonCodec state = JsonCodec.create(UpdateStateRequest.getDefaultInstance(), false);
        String deepState = "{\"state\":{\"k\":" + "[".repeat(200) + "]".repeat(200) + "}}";
        String deepTopLevel = "[".repeat(200) + "]".repeat(200);
        String veryDeep = "{\"x\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001);

        assertBadRequest(state, utf8(deepState));
        assertBadRequest(LENIENT, utf8(deepTopLevel));
        assertBadRequest(LENIENT, utf8(veryDeep));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void emptyBodyIsAnEmptyMessage(String body) {
        assertThat(parse(STRICT, body), is(InferRequest.getDefaultInstance()));
    }

    @Test
    void printUsesSnakeCaseAndPrintsDefaults() {
        InferChunk chunk = InferChunk.newBuilder()
                .setMeta(Meta.newBuilder().setTraceId("t1"))
                .setGenerationId("g1")
                .setIndex(0)
                .setIsFinal(false)
                .setDelta(Delta.newBuilder().setOutputTextDelta("Hel"))
                .build();

        String json = JsonCodec.create(InferChunk.getDefaultInstance(), false).print(chunk);

        assertThat(json, containsString("\"generation_id\":\"g1\""));
        assertThat(json, containsString("\"is_final\":false"));
        assertThat(json, containsString("\"index\":0"));
        assertThat(json, containsString("\"delta\":{\"output_text_delta\":\"Hel\"}"));
        assertThat(json, containsString("\"trace_id\":\"t1\""));
        assertThat(json, not(containsString("isFinal")));
        assertThat(json, not(containsString("generationId")));
        assertThat("compact", json, not(containsString(" ")));
    }

    @Test
    void int64IsPrintedAsAString() {
        String json = JsonCodec.create(GetStateResponse.getDefaultInstance(), false).print(GetStateResponse.newBuilder().setKey("k").setVersion(9007199254740993L).build());

        assertThat(json, containsString("\"version\":\"9007199254740993\""));
        assertThat(json, containsString("\"key\":\"k\""));
    }

    @Test
    void int64IsAcceptedAsStringOrNumber() {
        JsonCodec codec = JsonCodec.create(UpdateStateRequest.getDefaultInstance(), true);

        var fromString = (UpdateStateRequest.Builder) codec.parse(utf8("{\"expected_version\":\"12\"}"));
        var fromNumber = (UpdateStateRequest.Builder) codec.parse(utf8("{\"expectedVersion\":12}"));

        assertThat(fromString.getExpectedVersion(), is(12L));
        assertThat(fromNumber.getExpectedVersion(), is(12L));
    }

    private static InferRequest parse(JsonCodec codec, String json) {
        Message.Builder builder = codec.parse(utf8(json));
        return (InferRequest) builder.build();
    }

    private static void assertBadRequest(JsonCodec codec, byte[] body) {
        GatewayException e = assertThrows(GatewayException.class, () -> codec.parse(body),
                                          new String(body, StandardCharsets.UTF_8));
        assertThat(e.status(), is(400));
        assertThat(e.code(), is("INVALID_ARGUMENT"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
