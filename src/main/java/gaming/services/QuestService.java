package gaming.services;

import io.nats.client.Connection;
import io.nats.service.Service;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import quest.v1.GenerateQuestRequest;
import quest.v1.GenerateQuestResponse;
import quest.v1.Objective;
import quest.v1.Quest;
import quest.v1.Reward;

/**
 * Quest generator on {@code svc.quest.v1.generate}: validates the request, then builds a quest
 * from tables, with every random choice seeded by the whole request, so the same request (and
 * seed) always gives the same quest.
 */
final class QuestService {
    /** Per quest type: what its objectives can target. */
    private static final Map<String, List<String>> TARGETS = Map.of(
            "fetch", List.of("moonpetal herb", "rusted key", "dwarven ale", "ember crystal", "lost ledger"),
            "hunt", List.of("cave troll", "dire wolf", "bone spider", "marsh wraith", "goblin scout"),
            "escort", List.of("wounded scout", "travelling bard", "salt merchant", "young cleric"),
            "explore", List.of("collapsed shrine", "sunken library", "watchtower ruin", "crystal grotto"));
    private static final Map<String, String> VERBS = Map.of(
            "fetch", "Recover", "hunt", "Slay", "escort", "Escort", "explore", "Chart");
    private static final List<String> QUEST_TYPES = List.of("fetch", "hunt", "escort", "explore");
    private static final List<String> TITLE_WORDS = List.of(
            "Whispers", "Embers", "Echoes", "Shadows", "Oaths", "Secrets", "Storms");
    private static final List<String> ITEMS = List.of(
            "minor healing potion", "traveller's cloak", "silver ring", "scroll of mending", "iron shield");
    static final int MAX_OBJECTIVES = 5;

    private QuestService() {
    }

    static Service service(Connection conn) {
        return Rpc.service(conn, "quest", "Reference deterministic quest generator",
                Rpc.endpoint("generate", "svc.quest.v1.generate", "quest",
                        Rpc.handler(conn, GenerateQuestRequest.parser(), GenerateQuestResponse.getDefaultInstance(),
                                QuestService::generate)));
    }

    static GenerateQuestResponse generate(GenerateQuestRequest request) {
        validate(request);
        long seed = Arrays.hashCode(new Object[] {request.getPlayerId(), request.getPlayerLevel(),
                request.getRegion(), request.getQuestType(), request.getObjectiveCount(), request.getSeed()});
        Random random = new Random(seed);
        String type = request.getQuestType().isEmpty()
                ? pick(random, QUEST_TYPES) : request.getQuestType();
        int count = request.getObjectiveCount() == 0 ? 1 + random.nextInt(3) : request.getObjectiveCount();
        String region = request.getRegion();
        int level = Math.clamp(request.getPlayerLevel() + random.nextInt(5) - 2, 1, 100);

        Quest.Builder quest = Quest.newBuilder()
                .setQuestId(String.format("q-%08x", seed & 0xffffffffL))
                .setTitle(pick(random, TITLE_WORDS) + " of " + title(region))
                .setQuestType(type)
                .setRegion(region)
                .setRecommendedLevel(level);
        for (int i = 1; i <= count; i++) {
            String target = pick(random, TARGETS.get(type));
            int quantity = type.equals("hunt") || type.equals("fetch") ? 1 + random.nextInt(6) : 1;
            quest.addObjectives(Objective.newBuilder()
                    .setObjectiveId("obj-" + i)
                    .setDescription(VERBS.get(type) + " " + (quantity > 1 ? quantity + " x " : "the ") + target
                            + " in " + title(region))
                    .setTarget(target)
                    .setQuantity(quantity));
        }
        quest.setDescription("Word has spread through " + title(region) + " that help is needed. "
                + "Complete " + count + " task" + (count > 1 ? "s" : "") + " for a reward.");
        quest.setReward(Reward.newBuilder()
                .setExperience(100L * level * count)
                .setGold(25L * level + random.nextInt(50))
                .addItems(pick(random, ITEMS)));
        return GenerateQuestResponse.newBuilder().setQuest(quest).build();
    }

    private static void validate(GenerateQuestRequest request) {
        if (request.getPlayerId().isBlank()) {
            throw Rpc.invalid("player_id", "player_id is required");
        }
        if (request.getPlayerLevel() < 1 || request.getPlayerLevel() > 100) {
            throw Rpc.invalid("player_level", "player_level must be between 1 and 100, was " + request.getPlayerLevel());
        }
        if (request.getRegion().isBlank()) {
            throw Rpc.invalid("region", "region is required, e.g. \"northern-caves\"");
        }
        if (!request.getQuestType().isEmpty() && !QUEST_TYPES.contains(request.getQuestType())) {
            throw Rpc.invalid("quest_type", "quest_type must be one of " + QUEST_TYPES + " or empty, was \""
                    + request.getQuestType() + "\"");
        }
        if (request.getObjectiveCount() < 0 || request.getObjectiveCount() > MAX_OBJECTIVES) {
            throw Rpc.invalid("objective_count", "objective_count must be between 0 and " + MAX_OBJECTIVES
                    + " (0 = the service's choice), was " + request.getObjectiveCount());
        }
    }

    /** "northern-caves" becomes "Northern Caves". */
    private static String title(String region) {
        StringBuilder title = new StringBuilder();
        for (String word : region.strip().split("[-_\\s]+")) {
            if (!word.isEmpty()) {
                title.append(title.isEmpty() ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return title.toString();
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
