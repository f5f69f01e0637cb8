package gaming.services;

import ai.model.v1.GetModelRequest;
import ai.model.v1.GetModelResponse;
import ai.model.v1.ListModelsRequest;
import ai.model.v1.ListModelsResponse;
import ai.model.v1.Model;
import ai.model.v1.SelectModelRequest;
import ai.model.v1.SelectModelResponse;
import common.v1.Error;
import common.v1.Meta;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.service.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model catalogue on {@code svc.ai.model.v1.list|get|select}: a fixed list of models, and each
 * caller's (tenant, user) selected model kept in the {@value #BUCKET} KV bucket.
 */
final class ModelService {
    static final String BUCKET = "model-selection";
    static final String DEFAULT_MODEL = "gpt-5-pro";

    static final List<Model> CATALOGUE = List.of(
            model("gpt-5-pro", "GPT-5 Pro", "openai", 400_000, true, "chat", "streaming", "quest-writing"),
            model("gpt-5-mini", "GPT-5 mini", "openai", 128_000, true, "chat", "streaming"),
            model("npc-dialogue-8b", "NPC Dialogue 8B", "in-house", 8_192, true, "chat", "streaming", "dialogue"),
            model("quest-weaver-13b", "Quest Weaver 13B", "in-house", 16_384, true, "chat", "quest-writing"),
            model("legacy-story-2", "Legacy Story 2", "in-house", 4_096, false, "chat"));

    private final Connection conn;
    private final KeyValue selections;

    ModelService(Connection conn) throws IOException, JetStreamApiException {
        this.conn = conn;
        this.selections = Buckets.open(conn, BUCKET);
    }

    Service service() {
        return Rpc.service(conn, "models", "Reference model catalogue",
                Rpc.endpoint("list", "svc.ai.model.v1.list", "models",
                        Rpc.handler(conn, ListModelsRequest.parser(), ListModelsResponse.getDefaultInstance(), this::list)),
                Rpc.endpoint("get", "svc.ai.model.v1.get", "models",
                        Rpc.handler(conn, GetModelRequest.parser(), GetModelResponse.getDefaultInstance(), this::get)),
                Rpc.endpoint("select", "svc.ai.model.v1.select", "models",
                        Rpc.handler(conn, SelectModelRequest.parser(), SelectModelResponse.getDefaultInstance(), this::select)));
    }

    /** The catalogue entry, or NOT_FOUND naming the unknown id. */
    static Model find(String modelId) {
        if (modelId.isEmpty()) {
            throw Rpc.invalid("model_id", "model_id is required");
        }
        return CATALOGUE.stream()
                .filter(m -> m.getModelId().equals(modelId))
                .findFirst()
                .orElseThrow(() -> Rpc.notFound("unknown model_id '" + modelId + "'", Map.of("model_id", modelId)));
    }

    /** The catalogue entry if it can be used now: NOT_FOUND or FAILED_PRECONDITION otherwise. */
    static Model findAvailable(String modelId) {
        Model model = find(modelId);
        if (!model.getAvailable()) {
            throw new Rpc.Failure(Error.Code.FAILED_PRECONDITION,
                    "model '" + modelId + "' is not available", Map.of("model_id", modelId));
        }
        return model;
    }

    /** The model the caller selected, if any. */
    Optional<String> selected(Meta meta) throws IOException, JetStreamApiException {
        KeyValueEntry entry = selections.get(selectionKey(meta));
        return entry == null ? Optional.empty() : Optional.of(entry.getValueAsString());
    }

    private ListModelsResponse list(ListModelsRequest request) throws IOException, JetStreamApiException {
        String capability = request.getCapability();
        return ListModelsResponse.newBuilder()
                .addAllModels(CATALOGUE.stream()
                        .filter(m -> capability.isEmpty() || m.getCapabilitiesList().contains(capability))
                        .toList())
                .setSelectedModelId(selected(request.getMeta()).orElse(""))
                .build();
    }

    private GetModelResponse get(GetModelRequest request) {
        return GetModelResponse.newBuilder().setModel(find(request.getModelId())).build();
    }

    private SelectModelResponse select(SelectModelRequest request) throws IOException, JetStreamApiException {
        Model model = findAvailable(request.getModelId());
        String previous = selected(request.getMeta()).orElse("");
        selections.put(selectionKey(request.getMeta()), model.getModelId().getBytes(StandardCharsets.UTF_8));
        return SelectModelResponse.newBuilder()
                .setModelId(model.getModelId())
                .setPreviousModelId(previous)
                .setSelectedAtUnixMs(System.currentTimeMillis())
                .build();
    }

    private static String selectionKey(Meta meta) {
        return Buckets.key(meta.getTenantId(), meta.getUserId());
    }

    private static Model model(String id, String name, String provider, int contextLength, boolean available,
                               String... capabilities) {
        return Model.newBuilder()
                .setModelId(id)
                .setName(name)
                .setProvider(provider)
                .setContextLength(contextLength)
                .setAvailable(available)
                .addAllCapabilities(List.of(capabilities))
                .build();
    }
}
