package gaming.services;

import io.nats.client.Connection;
import io.nats.service.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import npc.behavior.v1.Action;
import npc.behavior.v1.PlanBehaviorRequest;
import npc.behavior.v1.PlanBehaviorResponse;
import npc.behavior.v1.Position;
import npc.behavior.v1.Stimulus;

/**
 * NPC behaviour planner on {@code svc.npc.behavior.v1.plan}: fixed rules per archetype and
 * stimulus, strongest stimulus first. No randomness, so the same request gives the same plan.
 */
final class NpcService {
    static final Set<String> ARCHETYPES = Set.of("guard", "merchant", "villager", "beast");
    static final Set<String> STIMULI = Set.of("player_seen", "attacked", "noise", "greeted", "item_offered");
    static final int DEFAULT_MAX_ACTIONS = 3;
    static final int MAX_ACTIONS = 10;
    /** Below this health every NPC flees first (a request without npc_state counts as healthy). */
    static final double FLEE_HEALTH = 0.25;

    private NpcService() {
    }

    static Service service(Connection conn) {
        return Rpc.service(conn, "npc-behavior", "Reference rule-based NPC behaviour planner",
                Rpc.endpoint("plan", "svc.npc.behavior.v1.plan", "npc",
                        Rpc.handler(conn, PlanBehaviorRequest.parser(), PlanBehaviorResponse.getDefaultInstance(),
                                NpcService::plan)));
    }

    static PlanBehaviorResponse plan(PlanBehaviorRequest request) {
        validate(request);
        int maxActions = request.getMaxActions() == 0 ? DEFAULT_MAX_ACTIONS : request.getMaxActions();
        String archetype = request.getArchetype();
        List<Stimulus> stimuli = request.getStimuliList().stream()
                .sorted(Comparator.comparingDouble(Stimulus::getIntensity).reversed())
                .toList();

        List<Action> actions = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        double health = request.hasNpcState() ? request.getNpcState().getHealth() : 1.0;
        if (health < FLEE_HEALTH) {
            actions.add(action("flee", "", 1.0, 2000).build());
            reasons.add("health " + health + " is below " + FLEE_HEALTH);
        }
        for (Stimulus stimulus : stimuli) {
            actions.addAll(react(archetype, stimulus));
            reasons.add(stimulus.getType() + " (" + stimulus.getIntensity() + ")");
        }
        if (actions.isEmpty()) {
            actions.add(action("idle", "", 0.1, 5000).build());
            reasons.add("nothing perceived");
        }
        return PlanBehaviorResponse.newBuilder()
                .setNpcId(request.getNpcId())
                .addAllActions(actions.subList(0, Math.min(maxActions, actions.size())))
                .setRationale(archetype + " reacting to: " + String.join(", ", reasons))
                .build();
    }

    /** What an archetype does about one stimulus, most urgent action first. */
    private static List<Action> react(String archetype, Stimulus s) {
        String source = s.getSourceId();
        double p = s.getIntensity();
        return switch (s.getType()) {
            case "attacked" -> switch (archetype) {
                case "guard", "beast" -> List.of(action("attack", source, 1.0, 1500).build(),
                        action("alert_allies", source, 0.9, 500).build());
                default -> List.of(action("flee", source, 1.0, 2000).build(),
                        speak(source, 0.8, "Help! Guards!"));
            };
            case "player_seen" -> switch (archetype) {
                case "guard" -> List.of(moveTo(s, p), speak(source, p, "Halt! State your business."));
                case "merchant" -> List.of(speak(source, p, "Fine wares, traveller! Come and see."));
                case "beast" -> p > 0.5 ? List.of(moveTo(s, p)) : List.of(action("idle", source, p, 1000).build());
                default -> List.of(speak(source, p, "Good day to you."));
            };
            case "noise" -> switch (archetype) {
                case "guard", "beast" -> List.of(moveTo(s, p));
                default -> List.of(action("idle", source, p * 0.5, 1000).build());
            };
            case "greeted" -> archetype.equals("beast")
                    ? List.of(action("idle", source, p * 0.5, 1000).build())
                    : List.of(speak(source, p, "Well met."));
            case "item_offered" -> archetype.equals("merchant")
                    ? List.of(action("trade", source, p, 3000).build())
                    : List.of(speak(source, p, "I have no need of that."));
            default -> List.of();
        };
    }

    private static void validate(PlanBehaviorRequest request) {
        if (request.getNpcId().isBlank()) {
            throw Rpc.invalid("npc_id", "npc_id is required");
        }
        if (!ARCHETYPES.contains(request.getArchetype())) {
            throw Rpc.invalid("archetype", "archetype must be one of " + sorted(ARCHETYPES) + ", was \""
                    + request.getArchetype() + "\"");
        }
        double health = request.getNpcState().getHealth();
        if (!(health >= 0 && health <= 1)) {
            throw Rpc.invalid("npc_state.health", "npc_state.health must be between 0 and 1, was " + health);
        }
        if (request.getMaxActions() < 0 || request.getMaxActions() > MAX_ACTIONS) {
            throw Rpc.invalid("max_actions", "max_actions must be between 0 and " + MAX_ACTIONS
                    + " (0 = the service's choice), was " + request.getMaxActions());
        }
        for (int i = 0; i < request.getStimuliCount(); i++) {
            Stimulus s = request.getStimuli(i);
            if (!STIMULI.contains(s.getType())) {
                throw Rpc.invalid("stimuli[" + i + "].type", "stimuli[" + i + "].type must be one of "
                        + sorted(STIMULI) + ", was \"" + s.getType() + "\"");
            }
            if (!(s.getIntensity() >= 0 && s.getIntensity() <= 1)) {
                throw Rpc.invalid("stimuli[" + i + "].intensity", "stimuli[" + i
                        + "].intensity must be between 0 and 1, was " + s.getIntensity());
            }
        }
    }

    private static Action moveTo(Stimulus s, double priority) {
        Position target = s.hasPosition() ? s.getPosition() : Position.getDefaultInstance();
        return action("move_to", s.getSourceId(), priority, 3000).setPosition(target).build();
    }

    private static Action speak(String target, double priority, String line) {
        return action("speak", target, priority, 2000).setDialogue(line).build();
    }

    private static Action.Builder action(String type, String target, double priority, int durationMs) {
        return Action.newBuilder().setType(type).setTargetId(target).setPriority(priority).setDurationMs(durationMs);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
