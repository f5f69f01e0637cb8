package gaming.gateway.openapi;

import gaming.gateway.identity.IdentityMode;
import gaming.gateway.route.RouteTable;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The document of a route typed by a descriptor set (src/test/proto/dice/v1): the comments of
 * that set, the proto3 JSON forms of enums, maps, 64-bit integers and Timestamp, the status
 * override in the error responses, and what the identity mode changes.
 */
class OpenApiDocumentTest {
    private static final String REF = "#/components/schemas/";

    private static RouteTable dice() {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.file(Path.of("src/test/resources/dice-routes.yaml"))).build();
        return RouteTable.create(config.get("gateway"), Duration.ofSeconds(30));
    }

    @Test
    void descriptorSetTypesGetTheirCommentsAndProto3JsonForms() {
        Map<String, Schema> schemas = OpenApiDocument.create(dice(), IdentityMode.TRUST_HEADERS, "1")
                .getComponents().getSchemas();
        Schema request = schemas.get("dice.v1.RollRequest");
        assertThat(request.getDescription(), containsString("Roll some dice on a table."));
        Map<String, Schema> fields = request.getProperties();
        assertThat(fields.get("table_id").getDescription(), is("The table, from the path."));
        assertThat(fields.get("seed").getTypes().toString(), is("[string, integer]"));
        assertThat(fields.get("seed").getFormat(), is("int64"));
        assertThat(fields.get("mode").get$ref(), is(REF + "dice.v1.Mode"));
        assertThat(schemas.get("dice.v1.Mode").getEnum(), is(List.of("MODE_UNSPECIFIED", "MODE_SUM", "MODE_MAX")));
        assertThat(((Schema) fields.get("tags").getAdditionalProperties()).getTypes().toString(), is("[string]"));
        Schema rolledAt = (Schema) schemas.get("dice.v1.RollReply").getProperties().get("rolled_at");
        assertThat(rolledAt.getFormat(), is("date-time"));
        Schema values = (Schema) schemas.get("dice.v1.RollReply").getProperties().get("values");
        assertThat(values.getItems().getFormat(), is("int64"));
    }

    @Test
    void theStatusOverrideMovesNotFoundTo410() {
        Operation roll = OpenApiDocument.create(dice(), IdentityMode.TRUST_HEADERS, "1").getPaths()
                .get("/dice/tables/{table_id}/roll").getPost();
        assertThat(roll.getResponses().get("410").getDescription(), is("Problem (RFC 9457) with code NOT_FOUND"));
        assertThat(roll.getResponses().containsKey("404"), is(false));
        assertThat(roll.getResponses().get("429").getDescription(),
                   is("Problem (RFC 9457) with code RESOURCE_EXHAUSTED"));
        assertThat(roll.getResponses().get("200").getContent().get("text/event-stream").getSchema().get$ref(),
                   is(REF + "dice.v1.RollChunk"));
    }

    @Test
    void jwtModeHasABearerSchemeAndNoIdentityHeaders() {
        OpenAPI api = OpenApiDocument.create(dice(), IdentityMode.JWT, "1");
        assertThat(api.getComponents().getSecuritySchemes().get("bearer").getBearerFormat(), is("JWT"));
        Operation roll = api.getPaths().get("/dice/tables/{table_id}/roll").getPost();
        assertThat(roll.getParameters().stream().map(Parameter::getName).toList(),
                   is(List.of("table_id", "X-Trace-ID", "traceparent", "X-Client-ID", "Idempotency-Key", "X-Custom-*")));
        assertThat(roll.getResponses().get("401").getDescription(), is("Problem (RFC 9457) with code UNAUTHENTICATED"));
    }
}
