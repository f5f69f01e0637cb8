package gaming.gateway.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code java -jar target/http-nats-gateway.jar check [config]} as a process: its exit status and output. */
class CheckJarIT {
    private static final Path JAR = Path.of("target/http-nats-gateway.jar");

    @TempDir
    Path dir;

    @Test
    void theShippedTableExitsZeroWithNineRoutes() throws Exception {
        Result result = check();
        assertThat(result.err(), result.status(), is(0));
        List<String> lines = result.out().lines().toList();
        assertThat(lines.size(), is(11));
        assertThat(lines.getLast(), is("9 routes OK"));
    }

    @Test
    void aWildcardSubjectExitsOneNamingTheRoute() throws Exception {
        Path table = Files.writeString(dir.resolve("routes.yaml"), """
                gateway:
                  routes:
                    - name: all-models
                      path: /ai/models
                      subject: svc.ai.model.v1.>
                      request: ai.model.v1.ListModelsRequest
                      reply: ai.model.v1.ListModelsResponse
                """);
        Result result = check(table.toString());
        assertThat(result.status(), is(1));
        assertThat(result.out(), is(""));
        assertThat(result.err(), is("check: route all-models (/ai/models): subject 'svc.ai.model.v1.>' is not a valid"
                                    + " NATS subject without wildcards\n"));
    }

    private record Result(int status, String out, String err) {
    }

    private Result check(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "check"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("check did not exit within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                          Files.readString(err, StandardCharsets.UTF_8));
    }
}
