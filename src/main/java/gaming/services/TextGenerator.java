package gaming.services;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The reference LLM's "model": a deterministic word generator. The same model, prompt, system
 * text and temperature always give the same tokens; the words come from the prompt and a small
 * fantasy vocabulary. A token is a word with its leading space, so the tokens concatenate to the
 * text.
 */
final class TextGenerator {
    private static final List<String> VOCABULARY = List.of(
            "the", "a", "old", "ranger", "village", "tower", "storm", "lantern", "river", "dragon", "quietly",
            "beyond", "ancient", "map", "whispered", "forest", "gate", "silver", "shadow", "brave", "merchant",
            "crossed", "found", "under", "moon", "and", "then", "of", "into", "sword", "song", "north");
    private static final int MIN_WORDS = 12;
    private static final int MAX_WORDS = 48;

    /** A finished plan for one generation. {@code finishReason} is "stop" or "length". */
    record Output(List<String> tokens, String finishReason, int promptTokens) {
        String text() {
            return String.join("", tokens);
        }
    }

    private TextGenerator() {
    }

    /**
     * Generates up to {@code maxTokens} tokens; the natural length is 12..48 words, ending in a
     * full stop. A stop sequence cuts the text before its first occurrence.
     */
    static Output generate(String model, String system, String prompt, double temperature, int maxTokens,
                           List<String> stopSequences) {
        Random random = new Random(Arrays.hashCode(new Object[] {model, system, prompt, temperature}));
        List<String> words = new ArrayList<>(VOCABULARY);
        words.addAll(promptWords(prompt));
        int length = MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1);

        List<String> tokens = new ArrayList<>();
        boolean sentenceStart = true;
        for (int i = 0; i < length; i++) {
            String word = words.get(random.nextInt(words.size()));
            if (sentenceStart) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            sentenceStart = i == length - 1 || random.nextInt(9) == 0;
            tokens.add((i == 0 ? "" : " ") + word + (sentenceStart ? "." : ""));
        }
        String finish = "stop";
        if (tokens.size() > maxTokens) {
            tokens = new ArrayList<>(tokens.subList(0, maxTokens));
            finish = "length";
        }
        return cutAtStop(tokens, stopSequences, finish, countTokens(system) + countTokens(prompt));
    }

    /** Whitespace-separated words: the usage count for prompt text. */
    static int countTokens(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static List<String> promptWords(String prompt) {
        return Arrays.stream(prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() >= 3)
                .toList();
    }

    private static Output cutAtStop(List<String> tokens, List<String> stopSequences, String finish, int promptTokens) {
        String text = String.join("", tokens);
        int cut = stopSequences.stream()
                .filter(s -> !s.isEmpty())
                .mapToInt(text::indexOf)
                .filter(i -> i >= 0)
                .min()
                .orElse(-1);
        if (cut < 0) {
            return new Output(tokens, finish, promptTokens);
        }
        List<String> kept = new ArrayList<>();
        int end = 0;
        for (String token : tokens) {
            if (end + token.length() > cut) {
                if (end < cut) {
                    kept.add(token.substring(0, cut - end));
                }
                break;
            }
            kept.add(token);
            end += token.length();
        }
        return new Output(kept, "stop", promptTokens);
    }
}
