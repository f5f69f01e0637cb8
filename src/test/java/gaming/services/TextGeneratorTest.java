package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextGeneratorTest {
    @Test
    void aStopSequenceCutsTheTextBeforeIt() {
        TextGenerator.Output full = TextGenerator.generate("m", "", "Tell me a story", 0.7, 100, List.of());
        String text = full.text();
        String stop = text.substring(text.indexOf(' ') + 2, text.indexOf(' ') + 4); // inside the second word
        TextGenerator.Output cut = TextGenerator.generate("m", "", "Tell me a story", 0.7, 100, List.of(stop));
        assertThat(cut.text(), is(text.substring(0, text.indexOf(stop))));
        assertThat(cut.finishReason(), is("stop"));
    }

    @Test
    void naturalEndIsAFullStopAndTheSystemTextChangesTheOutput() {
        TextGenerator.Output plain = TextGenerator.generate("m", "", "Tell me a story", 0.7, 1000, List.of());
        assertThat(plain.text(), endsWith("."));
        assertThat(plain.finishReason(), is("stop"));
        TextGenerator.Output pirate = TextGenerator.generate("m", "Speak like a pirate", "Tell me a story", 0.7, 1000,
                List.of());
        assertThat(pirate.text(), not(plain.text()));
        assertThat(pirate.promptTokens(), is(plain.promptTokens() + 4));
    }
}
