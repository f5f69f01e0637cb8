package gaming.bench;

import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;

import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

class BenchPayloadsTest {
    @Test
    void requestIsTheInferExampleWithTheGatewaysMeta() throws InvalidProtocolBufferException {
        InferRequest request = InferRequest.parseFrom(BenchPayloads.inferRequest(30_000));
        assertThat(request.getModelId(), is("gpt-5-pro"));
        assertThat(request.getInput().getPrompt(), is("Hello, world!"));
        assertThat(request.getParams().getMaxTokens(), is(100));
        assertThat(request.getParams().getTemperature(), is(0.7));
        assertThat(request.getIdempotencyKey(), is("unique-key-123"));
        assertThat(request.getMeta().getTraceId(), is("abc123"));
        assertThat(request.getMeta().getUserId(), is("user_456"));
        assertThat(request.getMeta().getIdempotencyKey(), is("unique-key-123"));
        assertThat(request.getMeta().getRequestId().length(), is(32));
        assertThat(request.getMeta().getDeadlineUnixMs(), greaterThan(System.currentTimeMillis()));
        assertThat(BenchPayloads.natsHeaders().getFirst("Idempotency-Key"), is("unique-key-123"));
        assertThat(BenchPayloads.natsHeaders().getFirst("traceparent").length(), is(55));
    }

    @Test
    void replyIsARealisticInferResponseOfAFewHundredBytes() throws InvalidProtocolBufferException {
        byte[] bytes = BenchPayloads.inferResponse();
        assertThat(bytes.length, allOf(greaterThan(200), lessThan(1000)));
        InferResponse reply = InferResponse.parseFrom(bytes);
        assertThat(reply.hasError(), is(false));
        assertThat(reply.getFinishReason(), is("stop"));
        assertThat(reply.getUsage().getTotalTokens(), is(90));
    }

    @Test
    void chunksEndWithTheFinalOne() throws InvalidProtocolBufferException {
        InferChunk first = InferChunk.parseFrom(BenchPayloads.chunk("gen-1", 0, false));
        InferChunk last = InferChunk.parseFrom(BenchPayloads.chunk("gen-1", 1, true));
        assertThat(first.getIsFinal(), is(false));
        assertThat(first.getGenerationId(), is("gen-1"));
        assertThat(last.getIsFinal(), is(true));
        assertThat(last.getIndex(), is(1));
        assertThat(last.getFinishReason(), is("stop"));
    }

    @Test
    void argsTakeBothForms() {
        Args args = new Args(new String[]{"--concurrency", "1,64", "--duration=5", "--empty"});
        assertThat(args.get("concurrency", ""), is("1,64"));
        assertThat(args.getDouble("duration", 0), is(5.0));
        assertThat(args.flag("empty"), is(true));
        assertThat(args.getInt("warmup", 3), is(3));
    }
}
