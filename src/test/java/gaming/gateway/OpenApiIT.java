package gaming.gateway;

import gaming.services.ReferenceServices;
import gaming.testing.GatewayFixture;
import gaming.testing.Problems;
import gaming.testing.SseClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * {@code /openapi.json} of the shipped route table, with the reference services behind the
 * gateway: valid OpenAPI 3.1 by swagger-parser, one operation per route with its schemas, and the
 * README quick-start requests and the services' real replies (and errors, and stream chunks)
 * valid against the generated JSON Schemas (networknt json-schema-validator, draft 2020-12).
 */
class OpenApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF = "#/components/schemas/";

    /** The shipped routes: name, path, request type, reply type. */
    private static final List<List<String>> ROUTES = List.of(
            List.of("llm-infer", "/ai/llm/infer", "ai.llm.v1.InferRequest", "ai.llm.v1.InferResponse"),
            List.of("llm-cancel", "/ai/llm/cancel", "ai.llm.v1.CancelRequest", "ai.llm.v1.CancelResponse"),
            List.of("models-list", "/ai/models", "ai.model.v1.ListModelsRequest", "ai.model.v1.ListModelsResponse"),
            List.of("models-get", "/ai/models/{model_id}", "ai.model.v1.GetModelRequest", "ai.model.v1.GetModelResponse"),
            List.of("models-select", "/ai/models/{model_id}/select", "ai.model.v1.SelectModelRequest",
                    "ai.model.v1.SelectModelResponse"),
            List.of("state-update", "/state/update", "state.manager.v1.UpdateStateRequest",
                    "state.manager.v1.UpdateStateResponse"),
            List.of("state-get", "/state/get", "state.manager.v1.GetStateRequest", "state.manager.v1.GetStateResponse"),
            List.of("quest-generate", "/quest/generate", "quest.v1.GenerateQuestRequest", "quest.v1.GenerateQuestResponse"),
            List.of("npc-behavior", "/npc/behavior", "npc.behavior.v1.PlanBehaviorRequest",
                    "npc.behavior.v1.PlanBehaviorResponse"));

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of());

    private static ReferenceServices reference;
    private static String spec;

    @BeforeAll
    static void start() throws Exception {
        reference = ReferenceServices.start(fx.service());
        HttpResponse<String> res = fx.http().get("/openapi.json");
        assertThat(res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Type").orElse(""), is("application/json"));
        spec = res.body();
    }

    @AfterAll
    static void stop() throws Exception {
        reference.close();
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(spec, null, options);
        assertThat(result.getMessages(), empty());
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi(), is("3.1.0"));
        assertThat(api.getPaths().size(), is(9));
    }

    @Test
    void theYamlDocumentIsTheSameDocument() throws Exception {
        HttpResponse<String> yaml = fx.http().get("/openapi.yaml");
        assertThat(yaml.statusCode(), is(200));
        assertThat(yaml.headers().firstValue("Content-Type").orElse(""), is("application/yaml"));
        assertThat(new YAMLMapper().readTree(yaml.body()), is(JSON.readTree(spec)));
    }

    @Test
    void everyRouteIsAnOperationWithItsSchemas() {
        OpenAPI api = new OpenAPIV3Parser().readContents(spec, null, new ParseOptions()).getOpenAPI();
        for (List<String> route : ROUTES) {
            Operation op = api.getPaths().get(route.get(1)).getPost();
            assertThat(route.get(0), op, notNullValue());
            assertThat(op.getOperationId(), is(route.get(0)));
            assertThat(op.getRequestBody().getContent().get("application/json").getSchema().get$ref(),
                       is(REF + route.get(2)));
            assertThat(op.getResponses().get("200").getContent().get("application/json").getSchema().get$ref(),
                       is(REF + route.get(3)));
            assertThat(api.getComponents().getSchemas().get(route.get(2)), notNullValue());
            assertThat(api.getComponents().getSchemas().get(route.get(3)), notNullValue());
            assertThat(op.getResponses().keySet(), hasItems("400", "404", "409", "412", "413", "415", "500", "502",
                                                            "503", "504"));
            assertThat(op.getResponses().get("503").getContent().get("application/problem+json").getSchema().get$ref(),
                       is(REF + "Problem"));
            assertThat(op.getParameters().stream().filter(p -> p.getIn().equals("header")).map(Parameter::getName)
                               .toList(),
                       is(List.of("X-Trace-ID", "traceparent", "X-User-ID", "X-Tenant-ID", "X-Client-ID",
                                  "Idempotency-Key", "X-Custom-*")));
            Set<String> pathParams = op.getParameters().stream().filter(p -> p.getIn().equals("path"))
                    .map(Parameter::getName).collect(Collectors.toSet());
            assertThat(pathParams, is(route.get(1).contains("{model_id}") ? Set.of("model_id") : Set.of()));
        }
        Operation infer = api.getPaths().get("/ai/llm/infer").getPost();
        assertThat(infer.getResponses().get("200").getContent().get("text/event-stream").getSchema().get$ref(),
                   is(REF + "ai.llm.v1.InferChunk"));
        assertThat(infer.getResponses().get("429").getDescription(), is("Problem (RFC 9457) with code RESOURCE_EXHAUSTED"));
    }

    @Test
    void schemasFollowTheProto3JsonMappingWithTheProtoComments() throws Exception {
        JsonNode schemas = JSON.readTree(spec).path("components").path("schemas");
        JsonNode seed = schemas.path("quest.v1.GenerateQuestRequest").path("properties").path("seed");
        assertThat(seed.path("type").toString(), is("[\"string\",\"integer\"]"));
        assertThat(seed.path("format").asText(), is("int64"));
        assertThat(seed.path("description").asText(), containsString("same request and seed -> same quest"));
        JsonNode state = schemas.path("state.manager.v1.UpdateStateRequest").path("properties").path("state");
        assertThat(state.path("type").asText(), is("object"));
        assertThat(schemas.path("ai.llm.v1.InferResponse").path("description").asText(),
                   containsString("Non-streaming reply."));
        assertThat(schemas.path("common.v1.Error.Code").path("enum").get(3).asText(), is("INVALID_ARGUMENT"));
        assertThat(schemas.path("common.v1.Meta").path("properties").path("labels").path("additionalProperties")
                           .path("type").asText(), is("string"));
    }

    @Test
    void quickStartRequestsAndRealRepliesMatchTheSchemas() throws Exception {
        String infer = """
                {"model_id":"gpt-5-pro","input":{"prompt":"Hello, world!"},"params":{"temperature":0.7,"max_tokens":100},
                 "idempotency_key":"unique-key-123"}""";
        String generation = JSON.readTree(exchange("/ai/llm/infer", infer, 200, "X-Trace-ID", "abc123",
                                                   "X-User-ID", "user_456")).path("generation_id").asText();
        exchange("/ai/llm/cancel", "{\"generation_id\":\"" + generation + "\"}", 200);
        exchange("/ai/llm/cancel", "{\"generation_id\":\"gen-unknown\"}", 400);
        exchange("/ai/models", "", 200);
        exchange("/ai/models/gpt-5-pro", "", 200);
        exchange("/ai/models/nope", "", 404);
        exchange("/ai/models/gpt-5-mini/select", "", 200, "X-User-ID", "user_456");
        String update = "{\"key\":\"player:123:inventory\",\"state\":{\"gold\":10,\"items\":[\"sword\"]},\"expected_version\":0}";
        exchange("/state/update", update, 200, "X-Tenant-ID", "openapi");
        exchange("/state/update", update, 412, "X-Tenant-ID", "openapi");
        exchange("/state/get", "{\"key\":\"player:123:inventory\"}", 200, "X-Tenant-ID", "openapi");
        exchange("/quest/generate", "{\"player_id\":\"player-1\",\"player_level\":12,\"region\":\"northern-caves\","
                                    + "\"quest_type\":\"hunt\",\"seed\":42}", 200);
        exchange("/npc/behavior", "{\"npc_id\":\"guard-7\",\"archetype\":\"guard\",\"npc_state\":{\"health\":0.9,"
                                  + "\"mood\":\"calm\"},\"stimuli\":[{\"type\":\"player_seen\",\"source_id\":\"player-1\","
                                  + "\"intensity\":0.8,\"position\":{\"x\":3,\"y\":4}}]}", 200);
    }

    @Test
    void streamedChunksMatchTheEventStreamSchema() throws Exception {
        String request = "{\"model_id\":\"gpt-5-pro\",\"input\":{\"prompt\":\"Tell me a story\"},"
                         + "\"params\":{\"stream\":true,\"max_tokens\":5}}";
        assertValid(requestSchema("/ai/llm/infer"), request);
        JsonSchema chunk = schema(JSON.readTree(spec).path("paths").path("/ai/llm/infer").path("post").path("responses")
                                          .path("200").path("content").path("text/event-stream").path("schema"));
        try (SseClient client = SseClient.post(fx.gateway().port(), "/ai/llm/infer", request)) {
            assertThat(client.status(), is(200));
            List<SseClient.Event> events = client.rest();
            assertThat(events.size(), is(6));
            for (SseClient.Event event : events) {
                assertValid(chunk, event.data());
            }
        }
    }

    @Test
    void theSchemasRejectWhatTheGatewayRejects() throws Exception {
        JsonSchema quest = requestSchema("/quest/generate");
        assertThat(quest.validate(JSON.readTree("{\"player_level\":\"high\"}")), not(empty()));
        assertThat(quest.validate(JSON.readTree("{\"seed\":\"12x\"}")), not(empty()));
        Problems.assertProblem(fx.http().post("/quest/generate", "{\"seed\":\"12x\"}"), 400, "INVALID_ARGUMENT");
    }

    /** Validates {@code body} against the route's request schema, sends it, validates the answer and returns it. */
    private static String exchange(String path, String body, int status, String... headers) throws Exception {
        JsonNode operation = JSON.readTree(spec).path("paths").path(template(path)).path("post");
        assertValid(requestSchema(path), body.isEmpty() ? "{}" : body);
        HttpResponse<String> res = fx.http().post(path, body, headers);
        assertThat(path + " " + res.body(), res.statusCode(), is(status));
        String mediaType = status == 200 ? "application/json" : "application/problem+json";
        JsonNode response = operation.path("responses").path(String.valueOf(status)).path("content").path(mediaType);
        assertThat(path + " documents " + status + " " + mediaType, response.isMissingNode(), is(false));
        assertValid(schema(response.path("schema")), res.body());
        return res.body();
    }

    private static String template(String path) {
        for (List<String> route : ROUTES) {
            if (path.matches(route.get(1).replace("{model_id}", "[^/]+"))) {
                return route.get(1);
            }
        }
        throw new AssertionError("no route for " + path);
    }

    private static JsonSchema requestSchema(String path) throws Exception {
        return schema(JSON.readTree(spec).path("paths").path(template(path)).path("post").path("requestBody")
                              .path("content").path("application/json").path("schema"));
    }

    /** {@code schema} (usually a $ref) as a draft 2020-12 schema whose document holds the spec's components. */
    private static JsonSchema schema(JsonNode schema) throws Exception {
        ObjectNode root = ((ObjectNode) schema.deepCopy());
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", JSON.readTree(spec).path("components"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
    }

    private static void assertValid(JsonSchema schema, String json) throws Exception {
        Set<ValidationMessage> errors = schema.validate(JSON.readTree(json));
        assertThat(json, errors, empty());
    }
}
