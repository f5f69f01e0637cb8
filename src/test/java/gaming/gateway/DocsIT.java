package gaming.gateway;

import gaming.testing.Http;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code /docs} renders in headless Chromium (Debian's {@code chromium}) from the jar's own
 * Swagger UI, showing the nine operations of the shipped table; the screenshot is left in
 * {@code target/docs-screenshot.png}. Skipped, saying why, where no {@code chromium} is on the PATH.
 * NATS is not needed for the page.
 */
class DocsIT {
    private static final Path SCREENSHOT = Path.of("target/docs-screenshot.png");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static Gateway gateway;

    @TempDir
    Path profile;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(NatsServer.notStarted().url());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void thePageAndItsAssetsComeFromTheGateway() {
        Http http = new Http(gateway.port());
        HttpResponse<String> page = http.get("/docs");
        assertThat(page.statusCode(), is(200));
        assertThat(page.headers().firstValue("Content-Type").orElse(""), is("text/html; charset=utf-8"));
        assertThat(page.body(), containsString("<script src=\"/docs/swagger-ui-bundle.js\"></script>"));
        assertThat(page.body(), not(containsString("https://")));
        HttpResponse<String> bundle = http.get("/docs/swagger-ui-bundle.js");
        assertThat(bundle.statusCode(), is(200));
        assertThat(bundle.headers().firstValue("Content-Type").orElse(""), is("text/javascript; charset=utf-8"));
        assertThat(http.get("/docs/swagger-ui.css").statusCode(), is(200));
        Problems.assertProblem(http.get("/docs/index.html"), 404, "NOT_FOUND");
        // an encoded '/' never reaches the asset lookup: RequestTarget rejects it before routing
        Problems.assertProblem(http.get("/docs/..%2Fapplication.yaml"), 400, "INVALID_ARGUMENT");
        Problems.assertProblem(http.get("/docs/../application.yaml"), 400, "INVALID_ARGUMENT");
    }

    @Test
    void chromiumShowsTheNineOperations() throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, () -> skip("no chromium on the PATH (apt-get install -y chromium)"));
        String url = "http://127.0.0.1:" + gateway.port() + "/docs";

        String dom = new String(run(chromium, "--dump-dom", url), StandardCharsets.UTF_8);
        List<String> paths = new ArrayList<>();
        Matcher m = Pattern.compile("<span class=\"opblock-summary-path\" data-path=\"([^\"]+)\">").matcher(dom);
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertThat(dom, paths, is(List.of("/ai/llm/infer", "/ai/llm/cancel", "/ai/models", "/ai/models/{model_id}",
                                          "/ai/models/{model_id}/select", "/state/update", "/state/get",
                                          "/quest/generate", "/npc/behavior")));

        Files.deleteIfExists(SCREENSHOT);
        run(chromium, "--window-size=1280,1900", "--screenshot=" + SCREENSHOT.toAbsolutePath(), url);
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(Arrays.copyOf(png, 8), is(PNG));
        assertThat(ByteBuffer.wrap(png, 16, 8).getInt(), is(1280));
        assertThat(ByteBuffer.wrap(png, 20, 4).getInt(), is(1900));
        System.out.println("[docs] screenshot of " + url + " in " + SCREENSHOT.toAbsolutePath());
    }

    /** Runs headless Chromium on {@code args} and returns its standard output; at most 2 minutes. */
    private byte[] run(String chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                                       "--hide-scrollbars", "--user-data-dir=" + profile,
                                                       "--virtual-time-budget=15000"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(profile, "out", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 2 minutes: " + command);
        }
        assertThat(String.join(" ", command), process.exitValue(), is(0));
        return Files.readAllBytes(out);
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    private static String skip(String reason) {
        System.out.println("[docs] skipped: " + reason);
        return reason;
    }
}
