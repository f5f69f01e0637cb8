package gaming.gateway.fault;

import ai.llm.v1.CancelResponse;
import ai.llm.v1.InferChunk;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Usage;
import ai.model.v1.GetModelResponse;
import ai.model.v1.ListModelsResponse;
import ai.model.v1.Model;
import ai.model.v1.SelectModelResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import gaming.testing.Responder;
import io.nats.client.Connection;
import io.nats.client.Message;
import npc.behavior.v1.Action;
import npc.behavior.v1.PlanBehaviorResponse;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Healthy test services on the nine subjects of the repo's route table, each answering every
 * request at once with a valid, non-error reply of its route's type ({@code svc.ai.llm.v1.infer}
 * answers a stream request with one final {@link InferChunk}). Built on {@link Responder}, so
 * {@link #received()} tells whether anything reached NATS.
 */
final class NineServices implements AutoCloseable {
    /** Subject → the route path that sends to it (path parameters filled with {@code m1}). */
    static final Map<String, String> PATHS = new LinkedHashMap<>();

    static {
        PATHS.put("svc.ai.llm.v1.infer", "/ai/llm/infer");
        PATHS.put("svc.ai.llm.v1.cancel", "/ai/llm/cancel");
        PATHS.put("svc.ai.model.v1.list", "/ai/models");
        PATHS.put("svc.ai.model.v1.get", "/ai/models/m1");
        PATHS.put("svc.ai.model.v1.select", "/ai/models/m1/select");
        PATHS.put("svc.state.manager.v1.update", "/state/update");
        PATHS.put("svc.state.manager.v1.get", "/state/get");
        PATHS.put("svc.quest.v1.generate", "/quest/generate");
        PATHS.put("svc.npc.behavior.v1.plan", "/npc/behavior");
    }

    private static final Model MODEL = Model.newBuilder().setModelId("m1").setName("Model One").setProvider("test")
            .setContextLength(8192).addCapabilities("chat").setAvailable(true).build();

    private final List<Responder> responders = new ArrayList<>();

    NineServices(Connection connection) {
        for (String subject : PATHS.keySet()) {
            responders.add(Responder.create(connection, subject, msg -> reply(subject, msg)));
        }
    }

    /** How many requests reached the services (and were not taken with {@link Responder#next()}). */
    int received() {
        return responders.stream().mapToInt(Responder::pending).sum();
    }

    static byte[] reply(String subject, Message msg) {
        return switch (subject) {
            case "svc.ai.llm.v1.infer" -> infer(msg);
            case "svc.ai.llm.v1.cancel" -> CancelResponse.newBuilder().setGenerationId("gen-1").setCancelled(true)
                    .build().toByteArray();
            case "svc.ai.model.v1.list" -> ListModelsResponse.newBuilder().addModels(MODEL).build().toByteArray();
            case "svc.ai.model.v1.get" -> GetModelResponse.newBuilder().setModel(MODEL).build().toByteArray();
            case "svc.ai.model.v1.select" -> SelectModelResponse.newBuilder().setModelId("m1")
                    .setSelectedAtUnixMs(1_700_000_000_000L).build().toByteArray();
            case "svc.state.manager.v1.update" -> UpdateStateResponse.newBuilder().setKey("k").setVersion(1)
                    .build().toByteArray();
            case "svc.state.manager.v1.get" -> GetStateResponse.newBuilder().setKey("k").setVersion(1)
                    .setState(Struct.newBuilder().putFields("gold", Value.newBuilder().setNumberValue(10).build()))
                    .build().toByteArray();
            case "svc.quest.v1.generate" -> GenerateQuestResponse.newBuilder()
                    .setQuest(Quest.newBuilder().setQuestId("q-1").setTitle("A quest").setRecommendedLevel(3))
                    .build().toByteArray();
            case "svc.npc.behavior.v1.plan" -> PlanBehaviorResponse.newBuilder().setNpcId("npc-1")
                    .addActions(Action.newBuilder().setType("idle").setDurationMs(1000).setPriority(0.5))
                    .setRationale("test").build().toByteArray();
            default -> throw new IllegalArgumentException(subject);
        };
    }

    private static byte[] infer(Message msg) {
        boolean stream;
        try {
            stream = InferRequest.parseFrom(msg.getData()).getParams().getStream();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the gateway sent a request that is not an InferRequest", e);
        }
        Usage usage = Usage.newBuilder().setPromptTokens(1).setCompletionTokens(1).setTotalTokens(2).build();
        if (stream) {
            return InferChunk.newBuilder().setGenerationId("gen-1").setIndex(0).setIsFinal(true)
                    .setFinishReason("stop").setUsage(usage).build().toByteArray();
        }
        return InferResponse.newBuilder().setGenerationId("gen-1").setModelId("m1").setOutputText("ok")
                .setFinishReason("stop").setUsage(usage).build().toByteArray();
    }

    @Override
    public void close() {
        responders.forEach(Responder::close);
    }
}
