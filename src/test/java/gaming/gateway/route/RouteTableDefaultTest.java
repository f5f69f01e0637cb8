package gaming.gateway.route;

import ai.model.v1.GetModelRequest;
import ai.model.v1.SelectModelRequest;
import common.v1.Error.Code;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The route table of the real {@code application.yaml}. */
class RouteTableDefaultTest {
    private static RouteTable table;
    private static Map<String, Route> byName;

    @BeforeAll
    static void load() {
        Config config = Config.just(ConfigSources.file(Path.of("application.yaml")));
        table = RouteTable.create(config.get("gateway"), Duration.ofSeconds(30));
        byName = table.routes().stream().collect(Collectors.toMap(Route::name, Function.identity()));
    }

    @Test
    void hasTheNineRoutesWithTheirSubjects() {
        Map<String, String> pathToSubject = table.routes().stream()
                .collect(Collectors.toMap(Route::path, Route::subject));

        assertThat(table.size(), is(9));
        assertThat(pathToSubject, is(Map.of(
                "/ai/llm/infer", "svc.ai.llm.v1.infer",
                "/ai/llm/cancel", "svc.ai.llm.v1.cancel",
                "/ai/models", "svc.ai.model.v1.list",
                "/ai/models/{model_id}", "svc.ai.model.v1.get",
                "/ai/models/{model_id}/select", "svc.ai.model.v1.select",
                "/state/update", "svc.state.manager.v1.update",
                "/state/get", "svc.state.manager.v1.get",
                "/quest/generate", "svc.quest.v1.generate",
                "/npc/behavior", "svc.npc.behavior.v1.plan")));
    }

    @Test
    void stateUpdateQuestGenerateAndModelSelectEnforceIdempotency() {
        Map<String, IdempotencyMode> modes = table.routes().stream()
                .collect(Collectors.toMap(Route::name, r -> r.idempotency().mode()));
        assertThat(modes, is(Map.of("llm-infer", IdempotencyMode.FORWARD, "llm-cancel", IdempotencyMode.FORWARD,
                                    "models-list", IdempotencyMode.FORWARD, "models-get", IdempotencyMode.FORWARD,
                                    "models-select", IdempotencyMode.ENFORCE, "state-update", IdempotencyMode.ENFORCE,
                                    "state-get", IdempotencyMode.FORWARD, "quest-generate", IdempotencyMode.ENFORCE,
                                    "npc-behavior", IdempotencyMode.FORWARD)));
        assertThat(byName.get("state-update").idempotency().required(), is(false));
    }

    @Test
    void messageTypesResolve() {
        Route infer = byName.get("llm-infer");

        assertThat(infer.request().getDescriptorForType().getFullName(), is("ai.llm.v1.InferRequest"));
        assertThat(infer.reply().getDescriptorForType().getFullName(), is("ai.llm.v1.InferResponse"));
        assertThat("llm-infer streams", infer.stream().isPresent(), is(true));
        assertThat("state-get does not stream", byName.get("state-get").stream().isPresent(), is(false));
    }

    @Test
    void modelRoutesFillModelIdFromThePath() {
        Route get = byName.get("models-get");
        Route select = byName.get("models-select");

        assertThat(get.pathParams().keySet(), is(Set.of("model_id")));
        assertThat(get.pathParams().get("model_id"), is(GetModelRequest.getDescriptor().findFieldByName("model_id")));
        assertThat(select.pathParams().get("model_id"),
                   is(SelectModelRequest.getDescriptor().findFieldByName("model_id")));
        assertThat(byName.get("models-list").pathParams(), is(Map.of()));
    }

    @Test
    void timeoutsComeFromTheRouteOrTheDefault() {
        assertThat(byName.get("llm-cancel").timeout(), is(Duration.ofSeconds(5)));
        assertThat(byName.get("llm-infer").timeout(), is(Duration.ofSeconds(30)));
        assertThat(byName.get("npc-behavior").timeout(), is(Duration.ofSeconds(30)));
    }

    @Test
    void unknownFieldsAreIgnoredAndStatusesAreTheDefaults() {
        for (Route route : table.routes()) {
            assertThat(route.name(), route.rejectUnknownFields(), is(false));
            assertThat(route.name(), route.statusTable().status(Code.NOT_FOUND), is(404));
        }
    }

    @Test
    void routesKeepTableOrder() {
        assertThat(table.routes().stream().map(Route::name).toList(), is(List.of(
                "llm-infer", "llm-cancel", "models-list", "models-get", "models-select",
                "state-update", "state-get", "quest-generate", "npc-behavior")));
    }
}
