package gaming.deploy;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Dockerfile and .dockerignore against the rules of issue 8 and the gateway's real facts. */
class DockerfileTest {
    /** One instruction: keyword and arguments, continuation lines joined, comments dropped. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> instructions() {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : DeployFacts.read(DeployFacts.root().resolve("Dockerfile")).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            }
        }
        return out;
    }

    /** Instructions of the last stage (after the last FROM). */
    static List<Instruction> finalStage() {
        List<Instruction> all = instructions();
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return all.subList(last, all.size());
    }

    static List<String> args(List<Instruction> in, String keyword) {
        return in.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** The USER of the final stage (what the container runs as). */
    static String finalUser() {
        List<String> users = args(finalStage(), "USER");
        assertFalse(users.isEmpty(), "the final stage sets USER");
        return users.get(users.size() - 1);
    }

    /** A JSON array of strings (exec form), or fails. */
    static List<String> execForm(String args) {
        String s = args.strip();
        assertTrue(s.startsWith("[") && s.endsWith("]"), "exec form (JSON array): " + s);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(s);
        while (m.find()) {
            out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }

    private static int majorVersion(String image, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(image);
        assertTrue(m.find(), image + " matches " + pattern);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void multiStageJdkBuildAndJreRun() {
        List<String> froms = args(instructions(), "FROM");
        assertTrue(froms.size() >= 2, "multi-stage: " + froms);
        String build = froms.get(0);
        assertTrue(build.toLowerCase().contains(" as build"), build);
        assertTrue(majorVersion(build, "temurin-(\\d+)") >= 21, "build JDK >= 21: " + build);
        String run = froms.get(froms.size() - 1);
        assertTrue(majorVersion(run, ":(\\d+)-jre") >= 21, "run JRE >= 21: " + run);
    }

    @Test
    void dependenciesAreResolvedBeforeSourcesAreCopied() {
        List<Instruction> all = instructions();
        int pomCopy = -1;
        int goOffline = -1;
        int sourceCopy = -1;
        for (int i = 0; i < all.size(); i++) {
            Instruction in = all.get(i);
            if (in.keyword().equals("COPY") && in.args().matches("pom\\.xml\\s+\\S+") && pomCopy < 0) {
                pomCopy = i;
            } else if (in.keyword().equals("RUN") && in.args().contains("dependency:go-offline")) {
                goOffline = i;
            } else if (in.keyword().equals("COPY") && in.args().startsWith("src") && sourceCopy < 0) {
                sourceCopy = i;
            }
        }
        assertTrue(pomCopy >= 0 && goOffline > pomCopy && sourceCopy > goOffline,
                "COPY pom.xml, RUN mvn dependency:go-offline, then COPY src: " + pomCopy + ", " + goOffline
                        + ", " + sourceCopy);
        // The build needs proto/ (compiled by the build) and the default config next to pom.xml.
        List<String> copies = args(all, "COPY");
        for (String needed : List.of("proto", "src/main", "application.yaml")) {
            assertTrue(copies.stream().anyMatch(c -> c.startsWith(needed + " ")), "COPY " + needed);
        }
        String jar = DeployFacts.jarName();
        assertTrue(copies.stream().anyMatch(c -> c.contains("target/" + jar)), "copies target/" + jar);
        assertTrue(copies.stream().anyMatch(c -> c.contains("target/libs")), "copies target/libs");
    }

    @Test
    void runsAsNonRootWithExecFormEntrypoint() {
        String user = finalUser();
        assertNotEquals("root", user.split(":")[0]);
        assertNotEquals("0", user.split(":")[0]);
        assertTrue(user.matches("\\d+(:\\d+)?"), "numeric USER so runAsNonRoot can verify it: " + user);

        List<String> entrypoint = execForm(args(finalStage(), "ENTRYPOINT").get(0));
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "container-aware heap");
        assertEquals("/app/" + DeployFacts.jarName(), entrypoint.get(entrypoint.indexOf("-jar") + 1));
        assertEquals(List.of("gateway"), execForm(args(finalStage(), "CMD").get(0)), "default mode");
    }

    @Test
    void exposesTheGatewayPort() {
        assertEquals(List.of(String.valueOf(DeployFacts.port())), args(finalStage(), "EXPOSE"));
    }

    @Test
    void healthcheckRequestsHealthAndNeedsStatus200() throws Exception {
        List<String> command = healthcheckCommand();
        String script = String.join(" ", command);
        assertTrue(script.contains("GET " + DeployFacts.HEALTH_PATH + " "), script);
        assertTrue(script.contains("${PORT:-" + DeployFacts.port() + "}"), "defaults to the gateway port");
        assertEquals("bash", command.get(0), "the JRE image has bash but neither curl nor wget");

        // Run the very command against a local server: 200 passes, 503 and no server fail.
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash needed to run the HEALTHCHECK");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] status = {200};
        String[] seenPath = {null};
        server.createContext("/", exchange -> {
            seenPath[0] = exchange.getRequestURI().getPath();
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(status[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try {
            assertEquals(0, runHealthcheck(command, port), "healthy on 200");
            assertEquals(DeployFacts.HEALTH_PATH, seenPath[0]);
            status[0] = 503;
            assertNotEquals(0, runHealthcheck(command, port), "unhealthy on 503");
        } finally {
            server.stop(0);
        }
        assertNotEquals(0, runHealthcheck(command, port), "unhealthy when nothing listens");
    }

    /** The exec-form command of the final stage's only HEALTHCHECK. */
    static List<String> healthcheckCommand() {
        List<String> checks = args(finalStage(), "HEALTHCHECK");
        assertEquals(1, checks.size());
        String check = checks.get(0);
        return execForm(check.substring(check.indexOf("CMD ") + 4));
    }

    /** Runs the HEALTHCHECK command on this machine with PORT set; its exit code. */
    static int runHealthcheck(List<String> command, int port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PORT", String.valueOf(port));
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "HEALTHCHECK command finishes");
        return p.exitValue();
    }

    @Test
    void dockerignoreKeepsBuildOutputAndGitOut() {
        List<String> ignored = DeployFacts.read(DeployFacts.root().resolve(".dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(ignored.contains("target/") || ignored.contains("target"), "target/ ignored");
        assertTrue(ignored.contains(".git"), ".git ignored");
        for (String needed : List.of("pom.xml", "proto", "src/main", "application.yaml")) {
            assertFalse(ignored.stream().anyMatch(i -> i.equals(needed) || i.equals(needed + "/")
                    || needed.startsWith(i.replaceAll("/$", "") + "/")), needed + " must reach the build");
        }
    }

    @Test
    void sameImageRunsEveryMode() {
        // The launcher's modes are arguments, not separate images: the ENTRYPOINT ends with the jar.
        List<String> entrypoint = execForm(args(finalStage(), "ENTRYPOINT").get(0));
        assertTrue(entrypoint.get(entrypoint.size() - 1).endsWith(".jar"), "mode comes from CMD / run args");
        assertFalse(args(finalStage(), "ENV").stream().anyMatch(e -> e.startsWith("PORT")),
                "PORT is not baked in, so a mounted application.yaml decides");
    }
}
