package gaming.gateway;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.CancelResponse;
import ai.llm.v1.InferRequest;
import ai.llm.v1.InferResponse;
import ai.llm.v1.Usage;
import ai.model.v1.GetModelRequest;
import ai.model.v1.GetModelResponse;
import ai.model.v1.ListModelsRequest;
import ai.model.v1.ListModelsResponse;
import ai.model.v1.Model;
import ai.model.v1.SelectModelRequest;
import ai.model.v1.SelectModelResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import common.v1.Meta;
import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.Responder;
import io.nats.client.Message;
import npc.behavior.v1.Action;
import npc.behavior.v1.PlanBehaviorRequest;
import npc.behavior.v1.PlanBehaviorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import quest.v1.GenerateQuestRequest;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;
import state.manager.v1.GetStateRequest;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateRequest;
import state.manager.v1.UpdateStateResponse;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Each of the nine routes of the repo's route table round-trips over real HTTP and a real
 * nats-server: the service (a jnats subscription in the test) decodes the request with the
 * generated classes and answers; the client gets the reply as JSON with proto field names.
 */
class RoutesIT {
    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of());

    @Test
    void llmInfer() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.llm.v1.infer", reply(InferRequest::parseFrom, req ->
                InferResponse.newBuilder().setMeta(echo(req.getMeta())).setGenerationId("gen-1")
                        .setModelId(req.getModelId()).setOutputText("echo: " + req.getInput().getPrompt())
                        .setFinishReason("stop").setUsage(Usage.newBuilder().setTotalTokens(3)).build()))) {
            HttpResponse<String> res = fx.http().post("/ai/llm/infer", """
                    {"model_id":"gpt-5-pro","input":{"prompt":"Hello, world!"},
                     "params":{"temperature":0.7,"max_tokens":100},"idempotency_key":"unique-key-123"}""",
                    "X-Trace-ID", "abc123", "X-User-ID", "user_456");
            assertThat(res.body(), res.statusCode(), is(200));
            InferRequest sent = InferRequest.parseFrom(svc.next().getData());
            assertThat(sent.getModelId(), is("gpt-5-pro"));
            assertThat(sent.getInput().getPrompt(), is("Hello, world!"));
            assertThat(sent.getParams().getTemperature(), closeTo(0.7, 1e-9));
            assertThat(sent.getParams().getMaxTokens(), is(100));
            assertThat(sent.getIdempotencyKey(), is("unique-key-123"));
            assertThat(sent.getMeta().getIdempotencyKey(), is("unique-key-123"));
            assertThat(sent.getMeta().getTraceId(), is("abc123"));
            assertThat(sent.getMeta().getUserId(), is("user_456"));
            Struct body = Problems.parse(res.body());
            assertThat(body.getFieldsOrThrow("output_text").getStringValue(), is("echo: Hello, world!"));
            assertThat(body.getFieldsOrThrow("finish_reason").getStringValue(), is("stop"));
            assertThat(body.getFieldsOrThrow("meta").getStructValue().getFieldsOrThrow("trace_id").getStringValue(),
                       is("abc123"));
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is("abc123"));
        }
    }

    @Test
    void llmCancel() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.llm.v1.cancel", reply(CancelRequest::parseFrom, req ->
                CancelResponse.newBuilder().setGenerationId(req.getGenerationId()).setCancelled(true).build()))) {
            HttpResponse<String> res = fx.http().post("/ai/llm/cancel", "{\"generation_id\":\"gen-42\"}");
            assertThat(res.statusCode(), is(200));
            assertThat(CancelRequest.parseFrom(svc.next().getData()).getGenerationId(), is("gen-42"));
            Struct body = Problems.parse(res.body());
            assertThat(body.getFieldsOrThrow("generation_id").getStringValue(), is("gen-42"));
            assertThat(body.getFieldsOrThrow("cancelled").getBoolValue(), is(true));
        }
    }

    @Test
    void modelsList() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.list", reply(ListModelsRequest::parseFrom, req ->
                ListModelsResponse.newBuilder()
                        .addModels(Model.newBuilder().setModelId("gpt-5-pro").setContextLength(128000)
                                           .addCapabilities(req.getCapability()))
                        .build()))) {
            HttpResponse<String> res = fx.http().post("/ai/models", "{\"capability\":\"chat\"}");
            assertThat(res.statusCode(), is(200));
            assertThat(ListModelsRequest.parseFrom(svc.next().getData()).getCapability(), is("chat"));
            Value model = Problems.parse(res.body()).getFieldsOrThrow("models").getListValue().getValues(0);
            assertThat(model.getStructValue().getFieldsOrThrow("model_id").getStringValue(), is("gpt-5-pro"));
            assertThat(model.getStructValue().getFieldsOrThrow("context_length").getNumberValue(), is(128000.0));
        }
    }

    @Test
    void modelsGetTakesThePathParameter() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.get", reply(GetModelRequest::parseFrom, req ->
                GetModelResponse.newBuilder().setModel(Model.newBuilder().setModelId(req.getModelId())).build()))) {
            HttpResponse<String> res = fx.http().post("/ai/models/gpt-4.1", "");
            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(GetModelRequest.parseFrom(svc.next().getData()).getModelId(), is("gpt-4.1"));
            assertThat(Problems.parse(res.body()).getFieldsOrThrow("model").getStructValue()
                               .getFieldsOrThrow("model_id").getStringValue(), is("gpt-4.1"));
        }
    }

    @Test
    void modelsSelectPathParameterWinsOverTheBody() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.select", reply(SelectModelRequest::parseFrom, req ->
                SelectModelResponse.newBuilder().setModelId(req.getModelId()).setPreviousModelId("old").build()))) {
            HttpResponse<String> res = fx.http().post("/ai/models/gpt-5-pro/select", "{\"model_id\":\"other\"}",
                                                 "X-Tenant-ID", "tenant-9");
            assertThat(res.statusCode(), is(200));
            SelectModelRequest sent = SelectModelRequest.parseFrom(svc.next().getData());
            assertThat(sent.getModelId(), is("gpt-5-pro"));
            assertThat(sent.getMeta().getTenantId(), is("tenant-9"));
            assertThat(Problems.parse(res.body()).getFieldsOrThrow("previous_model_id").getStringValue(), is("old"));
        }
    }

    @Test
    void stateUpdateCarriesJsonStateAndExpectedVersion() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.state.manager.v1.update", reply(UpdateStateRequest::parseFrom, req ->
                UpdateStateResponse.newBuilder().setKey(req.getKey()).setVersion(req.getExpectedVersion() + 1).build()))) {
            HttpResponse<String> res = fx.http().post("/state/update", """
                    {"key":"player:1","state":{"hp":42,"inventory":["sword"],"pos":{"x":1.5}},"expected_version":7}""");
            assertThat(res.body(), res.statusCode(), is(200));
            UpdateStateRequest sent = UpdateStateRequest.parseFrom(svc.next().getData());
            assertThat(sent.getKey(), is("player:1"));
            assertThat(sent.getExpectedVersion(), is(7L));
            assertThat(sent.getState().getFieldsOrThrow("hp").getNumberValue(), is(42.0));
            assertThat(sent.getState().getFieldsOrThrow("inventory").getListValue().getValues(0).getStringValue(),
                       is("sword"));
            // proto3 JSON writes int64 as a string
            assertThat(Problems.parse(res.body()).getFieldsOrThrow("version").getStringValue(), is("8"));
        }
    }

    @Test
    void stateGet() throws Exception {
        Struct state = Struct.newBuilder().putFields("level", Value.newBuilder().setNumberValue(3).build()).build();
        try (Responder svc = Responder.create(fx.service(), "svc.state.manager.v1.get", reply(GetStateRequest::parseFrom, req ->
                GetStateResponse.newBuilder().setKey(req.getKey()).setState(state).setVersion(5).build()))) {
            HttpResponse<String> res = fx.http().post("/state/get", "{\"key\":\"player:1\"}");
            assertThat(res.statusCode(), is(200));
            assertThat(GetStateRequest.parseFrom(svc.next().getData()).getKey(), is("player:1"));
            Struct body = Problems.parse(res.body());
            assertThat(body.getFieldsOrThrow("state").getStructValue(), is(state));
            assertThat(body.getFieldsOrThrow("version").getStringValue(), is("5"));
        }
    }

    @Test
    void questGenerateWithEveryMetaHeader() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate", reply(GenerateQuestRequest::parseFrom, req ->
                GenerateQuestResponse.newBuilder().setMeta(echo(req.getMeta()))
                        .setQuest(Quest.newBuilder().setRegion(req.getRegion()).setRecommendedLevel(req.getPlayerLevel()))
                        .build()))) {
            long before = System.currentTimeMillis();
            HttpResponse<String> res = fx.http().post("/quest/generate", "{\"playerId\":\"p1\",\"player_level\":12,\"region\":\"caves\"}",
                                                 "X-Trace-ID", "trace-1", "X-Client-ID", "web", "X-User-ID", "u-1",
                                                 "X-Tenant-ID", "t-1", "X-Custom-Region", "eu-west",
                                                 "X-Custom-Build-Id", "1.2.3", "Idempotency-Key", "idem-9");
            assertThat(res.body(), res.statusCode(), is(200));
            Message msg = svc.next();
            GenerateQuestRequest sent = GenerateQuestRequest.parseFrom(msg.getData());
            assertThat(sent.getPlayerId(), is("p1"));
            Meta meta = sent.getMeta();
            assertThat(meta.getTraceId(), is("trace-1"));
            assertThat(meta.getClientId(), is("web"));
            assertThat(meta.getUserId(), is("u-1"));
            assertThat(meta.getTenantId(), is("t-1"));
            assertThat(meta.getLabelsMap(), is(Map.of("region", "eu-west", "build-id", "1.2.3")));
            assertThat(meta.getIdempotencyKey(), is("idem-9"));
            assertThat(meta.getRequestId(), matchesPattern("[0-9a-f]{32}"));
            assertThat((double) meta.getDeadlineUnixMs(), closeTo(before + 30_000, 2_000));
            assertThat(msg.getHeaders().getFirst("Idempotency-Key"), is("idem-9"));
            assertThat(msg.getHeaders().getFirst("traceparent"), matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            Struct quest = Problems.parse(res.body()).getFieldsOrThrow("quest").getStructValue();
            assertThat(quest.getFieldsOrThrow("recommended_level").getNumberValue(), is(12.0));
        }
    }

    @Test
    void npcBehaviorWithGeneratedTraceId() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.npc.behavior.v1.plan", reply(PlanBehaviorRequest::parseFrom, req ->
                PlanBehaviorResponse.newBuilder().setMeta(echo(req.getMeta())).setNpcId(req.getNpcId())
                        .addActions(Action.newBuilder().setType("flee").setPriority(0.9)).build()))) {
            HttpResponse<String> res = fx.http().post("/npc/behavior", """
                    {"npc_id":"guard-7","archetype":"guard","npc_state":{"health":0.2},
                     "stimuli":[{"type":"attacked","intensity":1}]}""");
            assertThat(res.statusCode(), is(200));
            PlanBehaviorRequest sent = PlanBehaviorRequest.parseFrom(svc.next().getData());
            assertThat(sent.getStimuli(0).getType(), is("attacked"));
            String traceId = res.headers().firstValue("X-Trace-ID").orElseThrow();
            assertThat(traceId, matchesPattern("[0-9a-f]{32}"));
            assertThat(sent.getMeta().getTraceId(), is(traceId));
            assertThat(sent.getMeta().getRequestId(), matchesPattern("[0-9a-f]{32}"));
            Struct body = Problems.parse(res.body());
            assertThat(body.getFieldsOrThrow("actions").getListValue().getValues(0).getStructValue()
                               .getFieldsOrThrow("type").getStringValue(), is("flee"));
        }
    }

    @Test
    void traceIdComesFromTraceparentWhenNoXTraceId() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.npc.behavior.v1.plan", reply(PlanBehaviorRequest::parseFrom,
                req -> PlanBehaviorResponse.getDefaultInstance()))) {
            String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            HttpResponse<String> res = fx.http().post("/npc/behavior", "{\"npc_id\":\"n\"}", "traceparent", parent);
            assertThat(res.statusCode(), is(200));
            Message msg = svc.next();
            assertThat(PlanBehaviorRequest.parseFrom(msg.getData()).getMeta().getTraceId(),
                       is("4bf92f3577b34da6a3ce929d0e0e4736"));
            assertThat(msg.getHeaders().getFirst("traceparent"), is(parent));
            assertThat(res.headers().firstValue("X-Trace-ID").orElseThrow(), is("4bf92f3577b34da6a3ce929d0e0e4736"));
        }
    }

    @Test
    void clientCannotForgeGatewayMetaFields() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.quest.v1.generate", reply(GenerateQuestRequest::parseFrom,
                req -> GenerateQuestResponse.getDefaultInstance()))) {
            HttpResponse<String> res = fx.http().post("/quest/generate",
                    "{\"meta\":{\"request_id\":\"forged\",\"deadline_unix_ms\":\"1\",\"user_id\":\"admin\"}}");
            assertThat(res.statusCode(), is(200));
            Meta meta = GenerateQuestRequest.parseFrom(svc.next().getData()).getMeta();
            assertThat(meta.getRequestId(), matchesPattern("[0-9a-f]{32}"));
            assertThat(meta.getDeadlineUnixMs() > System.currentTimeMillis(), is(true));
            assertThat(meta.getUserId(), is(""));
        }
    }

    @Test
    void idempotencyKeyHeaderFillsTheBodyFieldAndDifferentKeysAreRejected() throws Exception {
        try (Responder svc = Responder.create(fx.service(), "svc.ai.llm.v1.infer", reply(InferRequest::parseFrom,
                req -> InferResponse.getDefaultInstance()))) {
            HttpResponse<String> ok = fx.http().post("/ai/llm/infer", "{\"model_id\":\"m\"}", "Idempotency-Key", "k-1");
            assertThat(ok.statusCode(), is(200));
            InferRequest sent = InferRequest.parseFrom(svc.next().getData());
            assertThat(sent.getIdempotencyKey(), is("k-1"));
            assertThat(sent.getMeta().getIdempotencyKey(), is("k-1"));

            HttpResponse<String> same = fx.http().post("/ai/llm/infer", "{\"idempotency_key\":\"k-2\"}", "Idempotency-Key", "k-2");
            assertThat(same.statusCode(), is(200));
            svc.next();

            HttpResponse<String> differ = fx.http().post("/ai/llm/infer", "{\"idempotency_key\":\"k-3\"}", "Idempotency-Key", "k-4");
            Problems.assertProblem(differ, 400, "INVALID_ARGUMENT");
            assertThat(svc.pending(), is(0));
        }
    }

    /** Copies the trace id, as services do. */
    private static Meta echo(Meta meta) {
        return Meta.newBuilder().setTraceId(meta.getTraceId()).build();
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private static <T> Function<Message, byte[]> reply(Parser<T> parser, Function<T, com.google.protobuf.Message> answer) {
        return msg -> {
            try {
                return answer.apply(parser.parse(msg.getData())).toByteArray();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the gateway sent bytes that are not the request type", e);
            }
        };
    }
}
