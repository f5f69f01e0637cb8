package gaming.bench;

import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Usage;
import ai.llm.v1.Delta;
import common.v1.Meta;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.TraceContext;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's fixed messages: the infer example of the original description (as JSON for
 * the gateway and as the Protobuf request the gateway would make of it for the direct requester),
 * and a realistic reply of a few hundred bytes.
 */
final class BenchPayloads {
    /** The non-streaming infer example of the original description. */
    static final String INFER_JSON = "{\"model_id\":\"gpt-5-pro\",\"input\":{\"prompt\":\"Hello, world!\"},"
            + "\"params\":{\"temperature\":0.7,\"max_tokens\":100},\"idempotency_key\":\"unique-key-123\"}";
    /** Its headers in the original description's curl command. */
    static final String TRACE_ID = "abc123";
    static final String USER_ID = "user_456";
    static final String IDEMPOTENCY_KEY = "unique-key-123";

    /** Prompt that tells {@code bench-sse}'s streaming service to hold the stream open after the first chunk. */
    static final String HOLD_PROMPT = "hold";

    private BenchPayloads() {
    }

    /**
     * The InferRequest the gateway sends for {@link #INFER_JSON} with the example's headers: parsed
     * by the gateway's own codec, with the meta the gateway fills in (trace, user, idempotency key,
     * a fresh request id, a deadline).
     */
    static byte[] inferRequest(long timeoutMillis) {
        JsonCodec codec = JsonCodec.create(InferRequest.getDefaultInstance(), false);
        InferRequest.Builder request = (InferRequest.Builder) codec.parse(INFER_JSON.getBytes(StandardCharsets.UTF_8));
        request.setMeta(Meta.newBuilder()
                                .setTraceId(TRACE_ID)
                                .setUserId(USER_ID)
                                .setIdempotencyKey(IDEMPOTENCY_KEY)
                                .setRequestId(TraceContext.randomHex(16))
                                .setDeadlineUnixMs(System.currentTimeMillis() + timeoutMillis));
        return request.build().toByteArray();
    }

    /** The NATS headers the gateway adds to that request. */
    static io.nats.client.impl.Headers natsHeaders() {
        io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers();
        headers.put("traceparent", TraceContext.newTraceparent(TRACE_ID));
        headers.put("Idempotency-Key", IDEMPOTENCY_KEY);
        return headers;
    }

    /** A fixed, realistic non-streaming reply (a few hundred bytes). */
    /** The same reply with an {@code output_text} of {@code textBytes} characters (the story repeated). */
    static byte[] inferResponse(int textBytes) {
        try {
            InferResponse base = InferResponse.parseFrom(inferResponse());
            StringBuilder text = new StringBuilder(textBytes);
            while (text.length() < textBytes) {
                text.append(base.getOutputText()).append(' ');
            }
            return base.toBuilder().setOutputText(text.substring(0, textBytes)).build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] inferResponse() {
        return InferResponse.newBuilder()
                .setMeta(Meta.newBuilder().setTraceId(TRACE_ID).setRequestId("5f0c2a9e7b3d41c8a6e2f90d1b7c3a54"))
                .setGenerationId("gen-7f3a9c2e4b1d4e6f8a0b")
                .setModelId("gpt-5-pro")
                .setOutputText("Hello! Deep in the northern caves sleeps Vyrmathrax, an ancient frost dragon whose "
                                       + "breath freezes rivers mid-flow. Villagers leave offerings of silver at the "
                                       + "cave mouth each winter solstice, hoping she stays asleep. Those who venture "
                                       + "inside speak of ice-walled halls, a hoard of forgotten crowns, and a single "
                                       + "burning lantern that never melts the frost around it.")
                .setFinishReason("stop")
                .setUsage(Usage.newBuilder().setPromptTokens(12).setCompletionTokens(78).setTotalTokens(90))
                .build()
                .toByteArray();
    }

    /** One streamed chunk of {@code bench-sse}'s service. */
    static byte[] chunk(String generationId, int index, boolean last) {
        InferChunk.Builder chunk = InferChunk.newBuilder()
                .setMeta(Meta.newBuilder().setTraceId(TRACE_ID))
                .setGenerationId(generationId)
                .setIndex(index)
                .setIsFinal(last)
                .setDelta(Delta.newBuilder().setOutputTextDelta(index == 0 ? "Once" : " upon"));
        if (last) {
            chunk.setFinishReason("stop")
                    .setUsage(Usage.newBuilder().setPromptTokens(4).setCompletionTokens(index + 1)
                                      .setTotalTokens(index + 5));
        }
        return chunk.build().toByteArray();
    }
}
