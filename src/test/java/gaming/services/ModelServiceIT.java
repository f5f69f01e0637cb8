package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import ai.model.v1.GetModelRequest;
import ai.model.v1.GetModelResponse;
import ai.model.v1.ListModelsRequest;
import ai.model.v1.ListModelsResponse;
import ai.model.v1.Model;
import ai.model.v1.SelectModelRequest;
import ai.model.v1.SelectModelResponse;
import common.v1.Error;
import common.v1.Meta;
import org.junit.jupiter.api.Test;

class ModelServiceIT extends WithServices {
    ListModelsResponse list(Meta meta, String capability) {
        return fx.call("svc.ai.model.v1.list",
                ListModelsRequest.newBuilder().setMeta(meta).setCapability(capability).build(),
                ListModelsResponse.parser());
    }

    SelectModelResponse select(Meta meta, String modelId) {
        return fx.call("svc.ai.model.v1.select",
                SelectModelRequest.newBuilder().setMeta(meta).setModelId(modelId).build(),
                SelectModelResponse.parser());
    }

    @Test
    void listsTheCatalogueAndFiltersByCapability() {
        ListModelsResponse all = list(ServicesFixture.meta("trace-list", "t", "u"), "");
        assertThat(all.getMeta().getTraceId(), is("trace-list"));
        assertThat(all.getModelsList().stream().map(Model::getModelId).toList(), hasItem("gpt-5-pro"));
        assertThat(all.getModelsCount(), is(ModelService.CATALOGUE.size()));

        ListModelsResponse dialogue = list(Meta.getDefaultInstance(), "dialogue");
        assertThat(dialogue.getModelsList().stream().map(Model::getModelId).toList(), contains("npc-dialogue-8b"));
        assertThat(dialogue.getModelsList().stream().allMatch(m -> m.getCapabilitiesList().contains("dialogue")),
                is(true));
    }

    @Test
    void getsAModelAndAnswersNotFoundForAnUnknownId() {
        GetModelResponse found = fx.call("svc.ai.model.v1.get", GetModelRequest.newBuilder()
                .setMeta(ServicesFixture.meta("trace-get", "", "")).setModelId("gpt-5-pro").build(),
                GetModelResponse.parser());
        assertThat(found.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(found.getModel().getName(), is("GPT-5 Pro"));
        assertThat(found.getModel().getContextLength(), greaterThan(0));
        assertThat(found.getMeta().getTraceId(), is("trace-get"));

        GetModelResponse missing = fx.call("svc.ai.model.v1.get", GetModelRequest.newBuilder()
                .setMeta(ServicesFixture.meta("trace-404", "", "")).setModelId("gpt-0").build(),
                GetModelResponse.parser());
        assertThat(missing.getError().getCode(), is(Error.Code.NOT_FOUND));
        assertThat(missing.getError().getDetailsMap().get("model_id"), is("gpt-0"));
        assertThat(missing.getMeta().getTraceId(), is("trace-404"));
        assertThat(missing.hasModel(), is(false));
    }

    @Test
    void selectionIsKeptPerTenantAndUser() {
        Meta alice = ServicesFixture.meta("trace-sel", "tenant-1", "alice");
        Meta bob = ServicesFixture.meta("trace-sel", "tenant-1", "bob");
        Meta aliceElsewhere = ServicesFixture.meta("trace-sel", "tenant-2", "alice");

        SelectModelResponse first = select(alice, "gpt-5-mini");
        assertThat(first.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(first.getModelId(), is("gpt-5-mini"));
        assertThat(first.getPreviousModelId(), is(""));
        assertThat(first.getSelectedAtUnixMs(), greaterThan(0L));

        SelectModelResponse second = select(alice, "quest-weaver-13b");
        assertThat(second.getPreviousModelId(), is("gpt-5-mini"));

        assertThat(list(alice, "").getSelectedModelId(), is("quest-weaver-13b"));
        assertThat(list(bob, "").getSelectedModelId(), is(""));
        assertThat(list(aliceElsewhere, "").getSelectedModelId(), is(""));
    }

    @Test
    void selectingAnUnknownOrUnavailableModelFails() {
        Meta carol = ServicesFixture.meta("trace-sel", "tenant-1", "carol");
        assertThat(select(carol, "gpt-0").getError().getCode(), is(Error.Code.NOT_FOUND));
        assertThat(select(carol, "legacy-story-2").getError().getCode(), is(Error.Code.FAILED_PRECONDITION));
        assertThat(select(carol, "").getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(list(carol, "").getSelectedModelId(), is(""));
    }
}
