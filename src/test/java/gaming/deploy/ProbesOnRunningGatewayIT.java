package gaming.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static gaming.deploy.DeployFacts.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the real gateway ({@code gaming.Launcher gateway}) as its own process, configured the
 * way k8s/deployment.yaml configures it (GATEWAY_CONFIG = the ConfigMap's application.yaml,
 * NATS_URL from the environment), and checks that the probe paths the manifests name answer as
 * the probes expect, with NATS up and down, that the Dockerfile's HEALTHCHECK command agrees,
 * and that SIGTERM ends the process in time. Needs {@code nats-server} on the PATH (or
 * NATS_SERVER_BIN); skipped with a message otherwise.
 */
@SuppressWarnings("unchecked")
class ProbesOnRunningGatewayIT {
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String natsServerBinary() {
        String configured = System.getenv().getOrDefault("NATS_SERVER_BIN", "nats-server");
        if (configured.contains("/")) {
            return Files.isExecutable(Path.of(configured)) ? configured : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, configured);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private Process startNats(String binary, int port) throws Exception {
        Process p = new ProcessBuilder(binary, "-a", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nats-server did not start on " + port);
    }

    private int status(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String body(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private void await(int port, String path, int expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status(port, path);
            if (last == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + ": expected " + expected + " within " + seconds + " s, last " + last);
    }

    private static int healthcheck(int port) throws Exception {
        return DockerfileTest.runHealthcheck(DockerfileTest.healthcheckCommand(), port);
    }

    @Test
    void probePathsAnswerAsTheManifestsExpect() throws Exception {
        try {
            Class.forName("gaming.Launcher");
        } catch (ClassNotFoundException e) {
            Assumptions.abort("gaming.Launcher is not built yet");
        }
        String natsBinary = natsServerBinary();
        Assumptions.assumeTrue(natsBinary != null, "SKIPPED: no nats-server on the PATH (or NATS_SERVER_BIN)");

        Map<String, Object> deployment = DeployFacts.yamlFile(DeployFacts.root().resolve("k8s/deployment.yaml"));
        Map<String, Object> container = ((List<Map<String, Object>>) path(deployment,
                "spec", "template", "spec", "containers")).get(0);
        String live = (String) path(container, "livenessProbe", "httpGet", "path");
        String startup = (String) path(container, "startupProbe", "httpGet", "path");
        String ready = (String) path(container, "readinessProbe", "httpGet", "path");
        int termination = (Integer) path(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
        Path config = DeployFacts.root().resolve("k8s/application.yaml");
        int routes = ((List<?>) path(DeployFacts.yamlFile(config), "gateway", "routes")).size();

        int natsPort = freePort();
        Process nats = startNats(natsBinary, natsPort);
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "gaming.Launcher", "gateway")
                .redirectErrorStream(true)
                .redirectOutput(DeployFacts.root().resolve("target/probes-gateway.log").toFile());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("NATS_URL", "nats://127.0.0.1:" + natsPort);
        pb.environment().put("GATEWAY_CONFIG", config.toString());
        Process gateway = pb.start();
        processes.add(gateway);

        // startupProbe: periodSeconds 2 x failureThreshold 30.
        await(port, startup, 200, 60);
        await(port, ready, 200, 15);
        assertEquals(200, status(port, live));
        assertEquals(200, status(port, DeployFacts.HEALTH_PATH));
        String health = body(port, DeployFacts.HEALTH_PATH).replace(" ", "");
        assertTrue(health.contains("\"nats_connected\":true") && health.contains("\"routes\":" + routes), health);
        assertEquals(0, healthcheck(port), "Docker HEALTHCHECK passes on a healthy gateway");

        nats.destroy();
        assertTrue(nats.waitFor(10, TimeUnit.SECONDS));
        await(port, ready, 503, 15);
        assertEquals(200, status(port, live), "liveness stays 200 while NATS is down (no restart loop)");
        assertEquals(503, status(port, DeployFacts.HEALTH_PATH));
        assertNotEquals(0, healthcheck(port), "Docker HEALTHCHECK fails while NATS is down");

        startNats(natsBinary, natsPort);
        await(port, ready, 200, 30);

        gateway.destroy(); // SIGTERM
        int preStop = Integer.parseInt(((List<String>) path(container, "lifecycle", "preStop", "exec", "command")).get(1));
        assertTrue(gateway.waitFor(termination - preStop, TimeUnit.SECONDS),
                "exits within terminationGracePeriodSeconds - preStop after SIGTERM");
        // Kubernetes and ECS only need the process gone in time; 143 (killed by SIGTERM after the
        // shutdown hooks ran) is as good as 0 for them. The gateway's own tests pin its exit code.
        assertTrue(List.of(0, 143).contains(gateway.exitValue()),
                "exit code " + gateway.exitValue() + " on SIGTERM (see target/probes-gateway.log)");
    }
}
