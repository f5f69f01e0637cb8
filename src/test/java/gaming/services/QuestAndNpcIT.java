package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import common.v1.Error;
import java.util.function.UnaryOperator;
import npc.behavior.v1.Action;
import npc.behavior.v1.NpcState;
import npc.behavior.v1.PlanBehaviorRequest;
import npc.behavior.v1.PlanBehaviorResponse;
import npc.behavior.v1.Position;
import npc.behavior.v1.Stimulus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import quest.v1.GenerateQuestRequest;
import quest.v1.GenerateQuestResponse;

class QuestAndNpcIT extends WithServices {
    static GenerateQuestRequest.Builder quest() {
        return GenerateQuestRequest.newBuilder()
                .setMeta(ServicesFixture.meta("trace-quest", "", ""))
                .setPlayerId("player-1").setPlayerLevel(12).setRegion("northern-caves")
                .setQuestType("hunt").setObjectiveCount(2).setSeed(42);
    }

    GenerateQuestResponse generate(GenerateQuestRequest request) {
        return fx.call("svc.quest.v1.generate", request, GenerateQuestResponse.parser());
    }

    static PlanBehaviorRequest.Builder npc() {
        return PlanBehaviorRequest.newBuilder()
                .setMeta(ServicesFixture.meta("trace-npc", "", ""))
                .setNpcId("guard-7").setArchetype("guard")
                .setNpcState(NpcState.newBuilder().setHealth(0.9).setMood("calm"))
                .addStimuli(Stimulus.newBuilder().setType("player_seen").setSourceId("player-1").setIntensity(0.8)
                        .setPosition(Position.newBuilder().setX(3).setY(4)));
    }

    PlanBehaviorResponse plan(PlanBehaviorRequest request) {
        return fx.call("svc.npc.behavior.v1.plan", request, PlanBehaviorResponse.parser());
    }

    @Test
    void questIsDeterministicAndFollowsTheRequest() {
        GenerateQuestResponse quest = generate(quest().build());
        assertThat(quest.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(quest.getMeta().getTraceId(), is("trace-quest"));
        assertThat(quest.getQuest().getQuestType(), is("hunt"));
        assertThat(quest.getQuest().getRegion(), is("northern-caves"));
        assertThat(quest.getQuest().getObjectivesCount(), is(2));
        assertThat(quest.getQuest().getTitle(), containsString("Northern Caves"));
        assertThat(quest.getQuest().getReward().getExperience() > 0, is(true));

        assertThat(generate(quest().build()).getQuest(), is(quest.getQuest()));
        assertThat(generate(quest().setSeed(43).build()).getQuest(), not(quest.getQuest()));
    }

    @ParameterizedTest
    @CsvSource({
        "player_id, ''",
        "player_level, 0",
        "player_level, 101",
        "region, ''",
        "quest_type, dance",
        "objective_count, 6",
    })
    void invalidQuestRequestsNameTheField(String field, String value) {
        GenerateQuestRequest.Builder request = quest();
        switch (field) {
            case "player_id" -> request.setPlayerId(value);
            case "player_level" -> request.setPlayerLevel(Integer.parseInt(value));
            case "region" -> request.setRegion(value);
            case "quest_type" -> request.setQuestType(value);
            default -> request.setObjectiveCount(Integer.parseInt(value));
        }
        GenerateQuestResponse reply = generate(request.build());
        assertThat(reply.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(reply.getError().getDetailsMap().get("field"), is(field));
        assertThat(reply.getError().getMessage(), containsString(field));
        assertThat(reply.getMeta().getTraceId(), is("trace-quest"));
        assertThat(reply.hasQuest(), is(false));
    }

    @Test
    void npcPlanIsDeterministicAndReactsToStimuli() {
        PlanBehaviorResponse guard = plan(npc().build());
        assertThat(guard.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(guard.getMeta().getTraceId(), is("trace-npc"));
        assertThat(guard.getNpcId(), is("guard-7"));
        assertThat(guard.getActionsList().stream().map(Action::getType).toList().getFirst(), is("move_to"));
        assertThat(guard.getActions(0).getPosition().getX(), is(3.0));
        assertThat(guard.getRationale(), containsString("player_seen"));
        assertThat(plan(npc().build()), is(guard));

        PlanBehaviorResponse attacked = plan(npc().addStimuli(Stimulus.newBuilder()
                .setType("attacked").setSourceId("player-1").setIntensity(1.0)).build());
        assertThat(attacked.getActions(0).getType(), is("attack"));

        PlanBehaviorResponse dying = plan(npc().setNpcState(NpcState.newBuilder().setHealth(0.1)).build());
        assertThat(dying.getActions(0).getType(), is("flee"));

        PlanBehaviorResponse limited = plan(npc().setMaxActions(1).build());
        assertThat(limited.getActionsCount(), is(1));
    }

    @ParameterizedTest
    @CsvSource({
        "npc_id",
        "archetype",
        "npc_state.health",
        "max_actions",
        "stimuli[0].type",
        "stimuli[0].intensity",
    })
    void invalidNpcRequestsNameTheField(String field) {
        UnaryOperator<PlanBehaviorRequest.Builder> breakIt = switch (field) {
            case "npc_id" -> b -> b.setNpcId(" ");
            case "archetype" -> b -> b.setArchetype("dragon");
            case "npc_state.health" -> b -> b.setNpcState(NpcState.newBuilder().setHealth(1.5));
            case "max_actions" -> b -> b.setMaxActions(11);
            case "stimuli[0].type" -> b -> b.setStimuli(0, b.getStimuli(0).toBuilder().setType("sneeze"));
            default -> b -> b.setStimuli(0, b.getStimuli(0).toBuilder().setIntensity(-0.1));
        };
        PlanBehaviorResponse reply = plan(breakIt.apply(npc()).build());
        assertThat(reply.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(reply.getError().getDetailsMap().get("field"), is(field));
        assertThat(reply.getError().getMessage(), containsString(field));
        assertThat(reply.getActionsCount(), is(0));
    }
}
