package gaming.gateway.route;

import common.v1.Error.Code;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Route tables built from YAML snippets: what loads, and what fails start-up naming the route. */
class RouteTableValidationTest {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String CANCEL = """
                - name: cancel
                  path: /ai/llm/cancel
                  subject: svc.ai.llm.v1.cancel
                  request: ai.llm.v1.CancelRequest
                  reply: ai.llm.v1.CancelResponse
            """;

    @Test
    void minimalRouteLoadsWithDefaults() {
        Route route = table(CANCEL).routes().getFirst();

        assertThat(route.name(), is("cancel"));
        assertThat(route.timeout(), is(DEFAULT_TIMEOUT));
        assertThat(route.rejectUnknownFields(), is(false));
        assertThat(route.pathParams().isEmpty(), is(true));
    }

    @Test
    void timeoutSecondsAndMillisOverrideTheDefault() {
        RouteTable table = table(CANCEL + cancelLike("slow", "/slow", "svc.slow") + "      timeout-seconds: 120\n"
                + cancelLike("fast", "/fast", "svc.fast") + "      timeout-millis: 250\n");

        assertThat(table.routes().get(0).timeout(), is(DEFAULT_TIMEOUT));
        assertThat(table.routes().get(1).timeout(), is(Duration.ofSeconds(120)));
        assertThat(table.routes().get(2).timeout(), is(Duration.ofMillis(250)));
    }

    @Test
    void statusOverridesApplyToTheirRouteOnly() {
        RouteTable table = table(CANCEL + cancelLike("legacy", "/legacy", "svc.legacy")
                                         + "      status-overrides: {NOT_FOUND: 410, CONFLICT: 422}\n");

        assertThat(table.routes().get(0).statusTable().status(Code.NOT_FOUND), is(404));
        assertThat(table.routes().get(1).statusTable().status(Code.NOT_FOUND), is(410));
        assertThat(table.routes().get(1).statusTable().status(Code.CONFLICT), is(422));
        assertThat(table.routes().get(1).statusTable().status(Code.INTERNAL), is(500));
    }

    @Test
    void rejectUnknownFieldsIsGlobalWithPerRouteOverride() {
        String routes = CANCEL + cancelLike("tolerant", "/tolerant", "svc.tolerant")
                + "      reject-unknown-fields: false\n";
        RouteTable table = RouteTable.create(gateway("reject-unknown-fields: true\n", routes), DEFAULT_TIMEOUT);

        assertThat(table.routes().get(0).rejectUnknownFields(), is(true));
        assertThat(table.routes().get(1).rejectUnknownFields(), is(false));
    }

    @Test
    void pathParameterCanMapToAFieldOfAnotherName() {
        Route route = table("""
                - name: model
                  path: /models/{id}
                  subject: svc.model.get
                  request: ai.model.v1.GetModelRequest
                  reply: ai.model.v1.GetModelResponse
                  path-params:
                    id: model_id
            """).routes().getFirst();

        assertThat(route.pathParams().get("id").getName(), is("model_id"));
    }

    @Test
    void unresolvableTypeFailsNamingTheRoute() {
        assertFails(route("broken", "/x", "svc.x", "ai.llm.v1.NoSuchRequest", "ai.llm.v1.CancelResponse"),
                    "broken", "ai.llm.v1.NoSuchRequest");
        assertFails(route("broken", "/x", "svc.x", "ai.llm.v1.CancelRequest", "java.lang.String"),
                    "broken", "java.lang.String");
        assertFails(cancelLike("broken", "/x", "svc.x")
                            + "      stream: ai.llm.v1.NoSuchChunk\n",
                    "broken", "ai.llm.v1.NoSuchChunk");
    }

    @Test
    void typesWithoutMetaOrErrorFailNamingTheRoute() {
        assertFails(route("no-meta", "/x", "svc.x", "ai.llm.v1.Input", "ai.llm.v1.CancelResponse"),
                    "no-meta", "meta");
        assertFails(route("no-error", "/x", "svc.x", "ai.llm.v1.CancelRequest", "ai.llm.v1.CancelRequest"),
                    "no-error", "error");
    }

    @Test
    void duplicatePathFailsNamingTheRoute() {
        assertFails(CANCEL + cancelLike("again", "/ai/llm/cancel", "svc.other"),
                    "again", "duplicate path");
    }

    @Test
    void samePathWithAnotherParameterNameIsADuplicate() {
        String first = route("by-model", "/m/{model_id}", "svc.a", "ai.model.v1.GetModelRequest",
                             "ai.model.v1.GetModelResponse");
        String second = route("by-id", "/m/{id}", "svc.b", "ai.model.v1.GetModelRequest",
                              "ai.model.v1.GetModelResponse") + "      path-params:\n        id: model_id\n";

        assertFails(first + second, "by-id", "duplicate path");
    }

    @Test
    void duplicateNameFails() {
        assertFails(CANCEL + cancelLike("cancel", "/other", "svc.other"),
                    "cancel", "duplicate route name");
    }

    @Test
    void pathParameterWithoutFieldFailsNamingTheRoute() {
        assertFails(route("models-get", "/ai/models/{model}", "svc.m", "ai.model.v1.GetModelRequest",
                          "ai.model.v1.GetModelResponse"),
                    "models-get", "{model}");
        assertFails(route("models-get", "/ai/models/{id}", "svc.m", "ai.model.v1.GetModelRequest",
                          "ai.model.v1.GetModelResponse") + "      path-params:\n        id: no_such_field\n",
                    "models-get", "no_such_field");
    }

    @Test
    void pathParameterIntoANonStringFieldFails() {
        assertFails(route("by-meta", "/m/{meta}", "svc.m", "ai.model.v1.GetModelRequest",
                          "ai.model.v1.GetModelResponse"),
                    "by-meta", "single string");
    }

    @Test
    void pathParamsMappingForAParameterNotInThePathFails() {
        assertFails(CANCEL.replace("name: cancel", "name: stray") + "      path-params:\n        model_id: model_id\n",
                    "stray", "model_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"svc.ai.*", "svc.>", "svc..x", ".svc", "svc.", "svc x", "*", ">"})
    void invalidSubjectFailsNamingTheRoute(String subject) {
        assertFails(cancelLike("bad-subject", "/x", "'" + subject + "'"),
                    "bad-subject", "subject");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "/a//b", "'/a b'"})
    void invalidPathFailsNamingTheRoute(String path) {
        assertFails(cancelLike("bad-path", path, "svc.x"),
                    "bad-path", "path");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "status-overrides: {GONE: 410}      | GONE",
            "status-overrides: {NOT_FOUND: 99}  | NOT_FOUND",
            "status-overrides: {NOT_FOUND: 600} | NOT_FOUND",
            "status-overrides: {NOT_FOUND: -1}  | NOT_FOUND",
            "timeout-seconds: 0                 | timeout",
            "timeout-seconds: -5                | timeout",
            "timeout-millis: 0                  | timeout",
    })
    void invalidStatusOverrideOrTimeoutFailsNamingTheRoute(String setting, String mentions) {
        assertFails(CANCEL + "      " + setting + "\n", "cancel", mentions);
    }

    /** A value of the wrong type is a configuration error of the route too, not a bare mapping error. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "status-overrides: {NOT_FOUND: gone} | NOT_FOUND",
            "timeout-seconds: soon               | timeout",
    })
    void nonNumericStatusOverrideOrTimeoutFailsNamingTheRoute(String setting, String mentions) {
        assertFails(CANCEL + "      " + setting + "\n", "cancel", mentions);
    }

    @Test
    void idempotencyIsForwardUnlessTheRouteSaysOtherwise() {
        RouteTable table = table(CANCEL + cancelLike("strict", "/strict", "svc.strict") + "      idempotency: enforce\n"
                                         + "      idempotency-required: true\n"
                                         + cancelLike("bare", "/bare", "svc.bare") + "      idempotency: off\n");
        assertThat(table.routes().get(0).idempotency(), is(IdempotencyPolicy.FORWARD));
        assertThat(table.routes().get(1).idempotency(), is(new IdempotencyPolicy(IdempotencyMode.ENFORCE, true, false)));
        assertThat(table.routes().get(2).idempotency(), is(new IdempotencyPolicy(IdempotencyMode.OFF, false, false)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "idempotency: sometimes                     | off, forward or enforce",
            "idempotency-required: true                 | idempotency: enforce",
            "idempotency-fail-open: true                | idempotency: enforce",
    })
    void invalidIdempotencyFailsNamingTheRoute(String setting, String mentions) {
        assertFails(CANCEL + "      " + setting + "\n", "cancel", mentions);
    }

    @Test
    void missingSubjectFailsNamingTheRoute() {
        assertFails(CANCEL.replace("      subject: svc.ai.llm.v1.cancel\n", ""), "cancel", "subject");
    }

    @Test
    void emptyTableFails() {
        assertThrows(RouteConfigException.class,
                     () -> RouteTable.create(Config.just(ConfigSources.create(java.util.Map.of("gateway.x", "1")))
                                                     .get("gateway"), DEFAULT_TIMEOUT));
    }

    @Test
    void replyHeadersAreKeptAsConfigured() {
        RouteTable table = table(CANCEL + cancelLike("quota", "/quota", "svc.quota")
                                         + "      reply-headers: [X-Quota-Remaining, Link]\n");

        assertThat(table.routes().get(0).replyHeaders(), is(java.util.List.of()));
        assertThat(table.routes().get(1).replyHeaders(), is(java.util.List.of("X-Quota-Remaining", "Link")));
    }

    @ParameterizedTest
    @CsvSource({
            "Content-Type, is set by the gateway only",
            "x-trace-id, is set by the gateway only",
            "Nats-Service-Error-Code, is set by the gateway only",
            "Transfer-Encoding, is set by the gateway only",
            "'Bad Name', is not an HTTP header name",
            "'X-A:b', is not an HTTP header name"})
    void replyHeadersTheGatewayOwnsOrThatAreNoHeaderNamesFailStartUp(String name, String reason) {
        assertFails(cancelLike("quota", "/quota", "svc.quota") + "      reply-headers: ['" + name + "']\n",
                    "quota", reason);
    }

    private static String cancelLike(String name, String path, String subject) {
        return route(name, path, subject, "ai.llm.v1.CancelRequest", "ai.llm.v1.CancelResponse");
    }

    private static String route(String name, String path, String subject, String request, String reply) {
        return "    - name: " + name + "\n"
                + "      path: " + path + "\n"
                + "      subject: " + subject + "\n"
                + "      request: " + request + "\n"
                + "      reply: " + reply + "\n";
    }

    private static RouteTable table(String routes) {
        return RouteTable.create(gateway("", routes), DEFAULT_TIMEOUT);
    }

    private static Config gateway(String globals, String routes) {
        String yaml = "gateway:\n" + globals.indent(2) + "  routes:\n" + routes;
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)).get("gateway");
    }

    private static void assertFails(String routes, String routeName, String mentions) {
        RouteConfigException e = assertThrows(RouteConfigException.class, () -> table(routes));
        assertThat(e.getMessage(), allOf(containsString("route " + routeName), containsString(mentions)));
    }
}
