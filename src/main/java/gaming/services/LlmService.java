package gaming.services;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.CancelResponse;
import ai.llm.v1.Delta;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Usage;
import ai.model.v1.Model;
import com.google.protobuf.Message;
import common.v1.Meta;
import io.nats.client.Connection;
import io.nats.service.Endpoint;
import io.nats.service.Service;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reference LLM on {@code svc.ai.llm.v1.infer} and {@code svc.ai.llm.v1.cancel}, generating text
 * with {@link TextGenerator}. A non-streaming request gets one {@link InferResponse}. A streaming
 * request ({@code params.stream}) gets {@link InferChunk}s on its reply subject, one token per
 * {@code tokenDelay}, then a final chunk with the finish reason and usage; each stream runs on its
 * own virtual thread so the dispatcher stays free.
 *
 * <p>Generation ids are {@code gen-<instance>-<n>}. Cancel is not in a queue group: every instance
 * hears it and only the one that issued the id answers, so cancel works with many instances.
 */
final class LlmService {
    static final int DEFAULT_MAX_TOKENS = 256;
    static final double DEFAULT_TEMPERATURE = 1.0;
    private static final Pattern GENERATION_ID = Pattern.compile("gen-([0-9a-f]{8})-([0-9]{1,18})");

    private final Connection conn;
    private final ModelService models;
    private final Duration tokenDelay;
    private final String instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong lastGeneration = new AtomicLong();
    /** Running streams by generation id; counting the latch down cancels the stream. */
    private final Map<String, CountDownLatch> running = new ConcurrentHashMap<>();

    LlmService(Connection conn, ModelService models, Duration tokenDelay) {
        this.conn = conn;
        this.models = models;
        this.tokenDelay = tokenDelay;
    }

    Service service() {
        ServiceEndpoint cancel = ServiceEndpoint.builder()
                .endpoint(Endpoint.builder().name("cancel").subject("svc.ai.llm.v1.cancel").noQueueGroup().build())
                .handler(Rpc.handler(conn, CancelRequest.parser(), CancelResponse.getDefaultInstance(), this::cancel))
                .build();
        return Rpc.service(conn, "llm", "Reference LLM: deterministic text, streaming and cancel",
                Rpc.endpoint("infer", "svc.ai.llm.v1.infer", "llm", this::infer), cancel);
    }

    private void infer(ServiceMessage msg) {
        Meta meta = Meta.getDefaultInstance();
        boolean stream = false;
        Message reply;
        try {
            InferRequest request = Rpc.decode(msg, InferRequest.parser());
            meta = Rpc.replyMeta(request.getMeta());
            stream = request.getParams().getStream();
            String model = resolveModel(request).getModelId();
            TextGenerator.Output output = generate(request, model);
            String generationId = "gen-" + instance + "-" + lastGeneration.incrementAndGet();
            if (stream) {
                startStream(msg.getReplyTo(), meta, generationId, output);
                return;
            }
            reply = InferResponse.newBuilder()
                    .setMeta(meta)
                    .setGenerationId(generationId)
                    .setModelId(model)
                    .setOutputText(output.text())
                    .setFinishReason(output.finishReason())
                    .setUsage(usage(output.promptTokens(), output.tokens().size()))
                    .build();
        } catch (Exception e) {
            Rpc.Failure failure = Rpc.unexpected(e);
            reply = stream
                    ? Rpc.errorReply(InferChunk.getDefaultInstance(), meta, failure).toBuilder().setIsFinal(true).build()
                    : Rpc.errorReply(InferResponse.getDefaultInstance(), meta, failure);
        }
        Rpc.respond(conn, msg, reply);
    }

    private Model resolveModel(InferRequest request) throws Exception {
        String modelId = request.getModelId();
        if (modelId.isEmpty()) {
            modelId = models.selected(request.getMeta()).orElse(ModelService.DEFAULT_MODEL);
        }
        return ModelService.findAvailable(modelId);
    }

    private static TextGenerator.Output generate(InferRequest request, String model) {
        if (request.getInput().getPrompt().isBlank()) {
            throw Rpc.invalid("input.prompt", "input.prompt is required");
        }
        double temperature = request.getParams().hasTemperature()
                ? request.getParams().getTemperature() : DEFAULT_TEMPERATURE;
        if (!(temperature >= 0 && temperature <= 2)) {
            throw Rpc.invalid("params.temperature", "params.temperature must be between 0 and 2, was " + temperature);
        }
        int maxTokens = request.getParams().getMaxTokens();
        if (maxTokens < 0) {
            throw Rpc.invalid("params.max_tokens", "params.max_tokens must not be negative, was " + maxTokens);
        }
        return TextGenerator.generate(model, request.getInput().getSystem(), request.getInput().getPrompt(),
                temperature, maxTokens == 0 ? DEFAULT_MAX_TOKENS : maxTokens, request.getParams().getStopList());
    }

    private void startStream(String subject, Meta meta, String generationId, TextGenerator.Output output) {
        if (subject == null || subject.isEmpty()) {
            return;
        }
        CountDownLatch cancelled = new CountDownLatch(1);
        running.put(generationId, cancelled);
        Thread.ofVirtual().name(generationId).start(() -> {
            try {
                stream(subject, meta, generationId, output, cancelled);
            } finally {
                running.remove(generationId);
            }
        });
    }

    private void stream(String subject, Meta meta, String generationId, TextGenerator.Output output,
                        CountDownLatch cancelled) {
        int index = 0;
        String finishReason = output.finishReason();
        try {
            for (String token : output.tokens()) {
                if (cancelled.await(tokenDelay.toNanos(), TimeUnit.NANOSECONDS)) {
                    finishReason = "cancelled";
                    break;
                }
                conn.publish(subject, chunk(meta, generationId, index++)
                        .setDelta(Delta.newBuilder().setOutputTextDelta(token))
                        .build().toByteArray());
            }
            conn.publish(subject, chunk(meta, generationId, index)
                    .setIsFinal(true)
                    .setFinishReason(finishReason)
                    .setUsage(usage(output.promptTokens(), index))
                    .build().toByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException connectionClosed) {
            // the service is shutting down; the caller's stream times out
        }
    }

    private CancelResponse cancel(CancelRequest request) {
        String generationId = request.getGenerationId();
        Matcher id = GENERATION_ID.matcher(generationId);
        if (!id.matches()) {
            throw Rpc.invalid("generation_id", "generation_id '" + generationId
                    + "' is not an id this service issued (gen-<instance>-<n>)");
        }
        if (!id.group(1).equals(instance)) {
            return null; // another instance issued it and answers
        }
        if (Long.parseLong(id.group(2)) > lastGeneration.get()) {
            throw Rpc.notFound("no generation '" + generationId + "'", Map.of("generation_id", generationId));
        }
        CountDownLatch stream = running.get(generationId);
        if (stream != null) {
            stream.countDown();
        }
        return CancelResponse.newBuilder().setGenerationId(generationId).setCancelled(stream != null).build();
    }

    private static InferChunk.Builder chunk(Meta meta, String generationId, int index) {
        return InferChunk.newBuilder().setMeta(meta).setGenerationId(generationId).setIndex(index);
    }

    private static Usage usage(int promptTokens, int completionTokens) {
        return Usage.newBuilder()
                .setPromptTokens(promptTokens)
                .setCompletionTokens(completionTokens)
                .setTotalTokens(promptTokens + completionTokens)
                .build();
    }
}
