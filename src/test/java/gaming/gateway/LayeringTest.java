package gaming.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

/** The gateway does not depend on the reference services, the benchmark tools or the launcher. */
class LayeringTest {
    @Test
    void gatewaySourcesUseNoServicesBenchOrLauncher() throws IOException {
        Path gateway = Path.of("src/main/java/gaming/gateway");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(gateway)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources.size(), greaterThan(20));
        List<String> offenders = sources.stream()
                .filter(p -> {
                    try {
                        String code = Files.readString(p);
                        return code.contains("gaming.services") || code.contains("gaming.bench")
                                || code.contains("gaming.Launcher");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .map(Path::toString)
                .toList();
        assertThat(offenders, empty());
    }
}
