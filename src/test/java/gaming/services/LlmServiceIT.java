package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.CancelResponse;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Input;
import ai.llm.v1.Params;
import ai.model.v1.SelectModelRequest;
import ai.model.v1.SelectModelResponse;
import common.v1.Error;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmServiceIT extends WithServices {
    static InferRequest.Builder request(String prompt, double temperature, int maxTokens) {
        return InferRequest.newBuilder()
                .setMeta(ServicesFixture.meta("trace-llm", "tenant-a", "user-1"))
                .setModelId("gpt-5-pro")
                .setInput(Input.newBuilder().setPrompt(prompt))
                .setParams(Params.newBuilder().setTemperature(temperature).setMaxTokens(maxTokens));
    }

    InferResponse infer(InferRequest request) {
        return fx.call("svc.ai.llm.v1.infer", request, InferResponse.parser());
    }

    @Test
    void generatesTheSameTextForTheSameInputAndEchoesTheTrace() {
        InferResponse first = infer(request("Hello, world!", 0.7, 100).build());
        InferResponse second = infer(request("Hello, world!", 0.7, 100).build());

        assertThat(first.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(first.getMeta().getTraceId(), is("trace-llm"));
        assertThat(first.getModelId(), is("gpt-5-pro"));
        assertThat(first.getGenerationId(), startsWith("gen-"));
        assertThat(first.getOutputText().isBlank(), is(false));
        assertThat(first.getFinishReason(), is("stop"));
        assertThat(second.getOutputText(), is(first.getOutputText()));
        assertThat(first.getUsage().getPromptTokens(), is(2));
        assertThat(first.getUsage().getCompletionTokens(), is(first.getOutputText().split(" ").length));
        assertThat(first.getUsage().getTotalTokens(), is(2 + first.getUsage().getCompletionTokens()));
    }

    @Test
    void temperatureActsAsASeed() {
        String cold = infer(request("Tell me a story", 0.1, 100).build()).getOutputText();
        String hot = infer(request("Tell me a story", 1.9, 100).build()).getOutputText();
        assertThat(hot, not(cold));
    }

    @Test
    void maxTokensCutsTheOutputWithFinishReasonLength() {
        InferResponse reply = infer(request("Tell me a story", 0.7, 3).build());
        assertThat(reply.getFinishReason(), is("length"));
        assertThat(reply.getUsage().getCompletionTokens(), is(3));
        assertThat(reply.getOutputText().split(" ").length, is(3));
    }

    @Test
    void unknownModelIsNotFoundAndBadParamsAreInvalid() {
        InferResponse unknown = infer(request("hi", 0.7, 10).setModelId("no-such-model").build());
        assertThat(unknown.getError().getCode(), is(Error.Code.NOT_FOUND));
        assertThat(unknown.getMeta().getTraceId(), is("trace-llm"));

        InferResponse noPrompt = infer(request("", 0.7, 10).build());
        assertThat(noPrompt.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(noPrompt.getError().getDetailsMap().get("field"), is("input.prompt"));

        InferResponse hot = infer(request("hi", 2.5, 10).build());
        assertThat(hot.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(hot.getError().getDetailsMap().get("field"), is("params.temperature"));
    }

    @Test
    void emptyModelIdUsesTheCallersSelectedModel() {
        SelectModelResponse selected = fx.call("svc.ai.model.v1.select", SelectModelRequest.newBuilder()
                .setMeta(ServicesFixture.meta("t", "tenant-llm", "user-llm")).setModelId("npc-dialogue-8b").build(),
                SelectModelResponse.parser());
        assertThat(selected.getError().getCode(), is(Error.Code.UNSPECIFIED));

        InferResponse reply = infer(request("hi", 0.7, 10).setModelId("")
                .setMeta(ServicesFixture.meta("t", "tenant-llm", "user-llm")).build());
        assertThat(reply.getModelId(), is("npc-dialogue-8b"));

        InferResponse other = infer(request("hi", 0.7, 10).setModelId("")
                .setMeta(ServicesFixture.meta("t", "tenant-llm", "someone-else")).build());
        assertThat(other.getModelId(), is(ModelService.DEFAULT_MODEL));
    }

    @Test
    void streamsChunksInOrderEndingWithAFinalChunkWithUsage() throws Exception {
        InferRequest plain = request("Tell me a story", 0.7, 8).build();
        String expected = infer(plain).getOutputText();

        List<InferChunk> chunks = stream(plain.toBuilder()
                .setParams(plain.getParams().toBuilder().setStream(true)).build(), Integer.MAX_VALUE, null);

        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            InferChunk chunk = chunks.get(i);
            assertThat(chunk.getIndex(), is(i));
            assertThat(chunk.getGenerationId(), is(chunks.get(0).getGenerationId()));
            assertThat(chunk.getMeta().getTraceId(), is("trace-llm"));
            assertThat(chunk.getIsFinal(), is(i == chunks.size() - 1));
            text.append(chunk.getDelta().getOutputTextDelta());
        }
        InferChunk last = chunks.getLast();
        assertThat(text.toString(), is(expected));
        assertThat(last.getFinishReason(), is("length"));
        assertThat(last.getUsage().getCompletionTokens(), is(8));
        assertThat(last.getUsage().getTotalTokens(), is(last.getUsage().getPromptTokens() + 8));
        assertThat(chunks.size(), is(9));
    }

    @Test
    void aRunningStreamDoesNotHoldUpOtherRequests() throws Exception {
        Subscription sub = fx.client.subscribe(fx.client.createInbox());
        InferRequest slow = request("Tell me a long story", 0.7, 200)
                .setParams(Params.newBuilder().setStream(true).setMaxTokens(200)).build();
        fx.client.publish("svc.ai.llm.v1.infer", sub.getSubject(), slow.toByteArray());
        assertThat(sub.nextMessage(Duration.ofSeconds(5)) != null, is(true));

        long start = System.nanoTime();
        InferResponse quick = infer(request("hi", 0.7, 5).build());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(quick.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(millis, lessThan(TOKEN_DELAY.toMillis() * 5));
        sub.unsubscribe();
    }

    @Test
    void cancelStopsAStreamWithinOneToken() throws Exception {
        InferRequest longStory = request("Tell me a long story", 0.7, 500)
                .setParams(Params.newBuilder().setStream(true).setMaxTokens(500)).build();
        List<Integer> tokensAfterCancel = new ArrayList<>();
        List<InferChunk> chunks = stream(longStory, 3, (generationId, seen) -> {
            CancelResponse cancel = fx.call("svc.ai.llm.v1.cancel", CancelRequest.newBuilder()
                    .setMeta(ServicesFixture.meta("trace-cancel", "", "")).setGenerationId(generationId).build(),
                    CancelResponse.parser());
            assertThat(cancel.getCancelled(), is(true));
            assertThat(cancel.getMeta().getTraceId(), is("trace-cancel"));
            tokensAfterCancel.add(seen);
        });

        InferChunk last = chunks.getLast();
        assertThat(last.getIsFinal(), is(true));
        assertThat(last.getFinishReason(), is("cancelled"));
        int tokens = chunks.size() - 1;
        assertThat(tokens, both(greaterThanOrEqualTo(3)).and(lessThanOrEqualTo(tokensAfterCancel.getFirst() + 1)));
        assertThat(last.getUsage().getCompletionTokens(), is(tokens));

        CancelResponse again = fx.call("svc.ai.llm.v1.cancel", CancelRequest.newBuilder()
                .setGenerationId(last.getGenerationId()).build(), CancelResponse.parser());
        assertThat(again.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(again.getCancelled(), is(false));
    }

    @Test
    void cancelOfAnIdNeverIssuedIsNotFoundOrInvalid() {
        String issued = infer(request("hi", 0.7, 2).build()).getGenerationId();
        String neverIssued = issued.substring(0, issued.lastIndexOf('-') + 1) + "999999";
        CancelResponse unknown = fx.call("svc.ai.llm.v1.cancel",
                CancelRequest.newBuilder().setGenerationId(neverIssued).build(), CancelResponse.parser());
        assertThat(unknown.getError().getCode(), is(Error.Code.NOT_FOUND));

        CancelResponse malformed = fx.call("svc.ai.llm.v1.cancel",
                CancelRequest.newBuilder().setGenerationId("whatever").build(), CancelResponse.parser());
        assertThat(malformed.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
    }

    @Test
    void invalidStreamingRequestEndsTheStreamWithAnErrorChunk() throws Exception {
        InferRequest bad = request("", 0.7, 5).setParams(Params.newBuilder().setStream(true)).build();
        List<InferChunk> chunks = stream(bad, Integer.MAX_VALUE, null);
        assertThat(chunks.size(), is(1));
        assertThat(chunks.getFirst().getIsFinal(), is(true));
        assertThat(chunks.getFirst().getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(chunks.getFirst().getMeta().getTraceId(), is("trace-llm"));
    }

    interface OnChunks {
        void after(String generationId, int chunksSeen) throws Exception;
    }

    /** Publishes a streaming request and collects chunks up to the final one; runs the action after n chunks. */
    static List<InferChunk> stream(InferRequest request, int n, OnChunks action) throws Exception {
        Subscription sub = fx.client.subscribe(fx.client.createInbox());
        fx.client.publish("svc.ai.llm.v1.infer", sub.getSubject(), request.toByteArray());
        List<InferChunk> chunks = new ArrayList<>();
        while (chunks.isEmpty() || !chunks.getLast().getIsFinal()) {
            Message msg = sub.nextMessage(Duration.ofSeconds(5));
            assertThat("chunk " + chunks.size() + " arrived", msg != null, is(true));
            chunks.add(InferChunk.parseFrom(msg.getData()));
            if (chunks.size() == n && action != null) {
                action.after(chunks.getFirst().getGenerationId(), countTokens(chunks, sub));
            }
        }
        sub.unsubscribe();
        assertThat(chunks.size(), greaterThan(0));
        return chunks;
    }

    /** Chunks seen so far, including any already delivered but not yet read. */
    private static int countTokens(List<InferChunk> chunks, Subscription sub) {
        return chunks.size() + (int) sub.getPendingMessageCount();
    }
}
