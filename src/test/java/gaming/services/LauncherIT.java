package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import gaming.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.service.Discovery;
import io.nats.service.PingResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gaming.Launcher} run as its own process (on this test's class path), as {@code java -jar} runs it. */
class LauncherIT {
    static final List<String> SERVICES = List.of("llm", "models", "state-manager", "quest", "npc-behavior");

    /** A launcher process; its output (stdout and stderr) is read line by line. */
    record Launched(Process process, BlockingQueue<String> lines) implements AutoCloseable {
        static Launched start(Map<String, String> env, String... args) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "gaming.Launcher");
            builder.command().addAll(List.of(args));
            builder.environment().remove("NATS_URL");
            builder.environment().remove("NATS_SERVER_BIN");
            builder.environment().putAll(env);
            builder.environment().put("PORT", String.valueOf(NatsServer.freePort())); // the gateway's, in demo mode
            Process process = builder.redirectErrorStream(true).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    out.lines().forEach(lines::add);
                } catch (Exception ignored) {
                    // process gone
                }
            });
            return new Launched(process, lines);
        }

        /** The first output line containing the text; fails after 60 s (generous for a busy machine). */
        String awaitLine(String text) throws InterruptedException {
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
                if (line != null) {
                    seen.append(line).append('\n');
                }
            }
            throw new AssertionError("no line with '" + text + "' in:\n" + seen);
        }

        int awaitExit() throws InterruptedException {
            assertThat("exited in time", process.waitFor(40, TimeUnit.SECONDS), is(true));
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static List<String> ping(String url) throws Exception {
        try (Connection conn = Nats.connect(url)) {
            return new Discovery(conn, 1000, 10).ping().stream().map(PingResponse::getName).toList();
        }
    }

    /** Whether anyone replies to a request on the subject. */
    static boolean answers(String url, String subject) throws Exception {
        try (Connection conn = Nats.connect(url)) {
            return conn.requestWithTimeout(subject, new byte[0], Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS) != null;
        } catch (ExecutionException | CancellationException | TimeoutException noReply) {
            return false;
        }
    }

    @Test
    void unknownModePrintsUsageAndExits2() throws Exception {
        try (Launched launched = Launched.start(Map.of(), "frobnicate")) {
            assertThat(launched.awaitLine("usage:"), containsString("gateway|services|demo"));
            assertThat(launched.awaitExit(), is(2));
        }
    }

    @Test
    void servicesModeServesOnNatsUrlUntilStopped() throws Exception {
        try (NatsServer nats = NatsServer.start(new String[0]);
             Launched launched = Launched.start(Map.of("NATS_URL", nats.url()), "services")) {
            launched.awaitLine("running on " + nats.url());
            assertThat(ping(nats.url()), containsInAnyOrder(SERVICES.toArray()));
            launched.process().destroy();
            assertThat(launched.awaitExit(), is(143)); // SIGTERM, after the shutdown hook ran
            assertThat(answers(nats.url(), "svc.quest.v1.generate"), is(false));
        }
    }

    @Test
    void demoStartsANatsServerOfItsOwnAndStopsItOnExit() throws Exception {
        try (Launched launched = Launched.start(Map.of("NATS_SERVER_BIN", NatsServer.binary()), "demo")) {
            String started = launched.awaitLine("NATS: started nats-server");
            Matcher url = Pattern.compile("nats://127\\.0\\.0\\.1:[0-9]+").matcher(started);
            assertThat(started, url.find(), is(true));
            launched.awaitLine("running on " + url.group());
            assertThat(ping(url.group()), containsInAnyOrder(SERVICES.toArray()));

            launched.process().destroy();
            launched.awaitExit();
            assertThat(EmbeddedNats.reachable(url.group()), is(false));
        }
    }

    @Test
    void demoUsesNatsUrlWhenSetAndSaysSo() throws Exception {
        try (NatsServer nats = NatsServer.start(new String[0]);
             Launched launched = Launched.start(Map.of("NATS_URL", nats.url()), "demo")) {
            assertThat(launched.awaitLine("NATS: "), is("NATS: using NATS_URL " + nats.url()
                    + " (the demo's services keep their JetStream key-value buckets there)"));
            launched.awaitLine("running on " + nats.url());
            assertThat(ping(nats.url()), containsInAnyOrder(SERVICES.toArray()));
        }
    }

    @Test
    void aKilledDemoLeavesNoNatsServerRunning() throws Exception {
        try (Launched launched = Launched.start(Map.of("NATS_SERVER_BIN", NatsServer.binary()), "demo")) {
            Matcher url = Pattern.compile("nats://127\\.0\\.0\\.1:[0-9]+").matcher(launched.awaitLine("NATS: started nats-server"));
            assertThat(url.find(), is(true));
            launched.awaitLine("listening on port");
            launched.process().destroyForcibly(); // kill -9: no shutdown hook runs
            launched.process().waitFor();
            gaming.testing.Awaits.until(() -> !EmbeddedNats.reachable(url.group()), Duration.ofSeconds(20),
                                        "the killed demo's nats-server to stop");
        }
    }

    @Test
    void demoWithoutNatsUrlOrNatsServerSaysWhatToInstallAndExits1(@TempDir Path emptyDir) throws Exception {
        try (Launched launched = Launched.start(Map.of("PATH", emptyDir.toString()), "demo")) {
            assertThat(launched.awaitLine("Install nats-server"), containsString("apt-get install nats-server"));
            assertThat(launched.awaitExit(), is(1));
        }
    }
}
