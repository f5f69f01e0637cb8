package gaming.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the image from the Dockerfile and runs it next to a NATS container, then checks that
 * Docker's own HEALTHCHECK turns the container healthy and that {@code /health} answers through
 * the published port. Uses the docker CLI (Testcontainers is not on the test classpath); skipped
 * with a visible message where no Docker engine answers. Never the only check: DockerfileTest
 * checks the file itself everywhere.
 */
class DockerImageIT {
    private static final String SUFFIX = Long.toHexString(System.nanoTime());
    private static final String IMAGE = "http-nats-gateway-it:" + SUFFIX;
    private static final String NETWORK = "gateway-it-" + SUFFIX;
    private static final List<String> CLEANUP = new ArrayList<>();

    @BeforeAll
    static void requireDocker() throws Exception {
        boolean engine;
        try {
            engine = docker(30, "info").exit() == 0;
        } catch (IOException noCli) {
            engine = false;
        }
        if (!engine) {
            System.out.println("SKIPPED DockerImageIT: no Docker engine answers `docker info`");
        }
        Assumptions.assumeTrue(engine, "no Docker engine");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String command : CLEANUP.reversed()) {
            docker(60, command.split(" "));
        }
    }

    record Result(int exit, String output) {
    }

    private static Result docker(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DeployFacts.root().toFile()).redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), new String(out).strip());
    }

    private static String ok(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        Result r = docker(timeoutSeconds, args);
        assertEquals(0, r.exit(), "docker " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }

    @Test
    void imageBecomesHealthyAndServesHealth() throws Exception {
        ok(1800, "build", "-t", IMAGE, ".");
        CLEANUP.add("image rm -f " + IMAGE);
        ok(60, "network", "create", NETWORK);
        CLEANUP.add("network rm " + NETWORK);
        ok(300, "run", "-d", "--name", "nats-" + SUFFIX, "--network", NETWORK, "--network-alias", "nats",
                "nats:2", "-js");
        CLEANUP.add("rm -f nats-" + SUFFIX);
        int port = DeployFacts.port();
        ok(60, "run", "-d", "--name", "gateway-" + SUFFIX, "--network", NETWORK, "-p", "127.0.0.1::" + port,
                "--read-only", "--tmpfs", "/tmp", "-e", "NATS_URL=nats://nats:4222", IMAGE);
        CLEANUP.add("rm -f gateway-" + SUFFIX);

        String health = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !health.equals("healthy")) {
            Thread.sleep(2000);
            health = ok(30, "inspect", "--format", "{{.State.Health.Status}}", "gateway-" + SUFFIX);
        }
        assertEquals("healthy", health, "Docker HEALTHCHECK; logs:\n" + docker(30, "logs", "gateway-" + SUFFIX).output());

        String published = ok(30, "port", "gateway-" + SUFFIX, port + "/tcp").lines().findFirst().orElseThrow();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + published + DeployFacts.HEALTH_PATH)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().replace(" ", "").contains("\"nats_connected\":true"), response.body());
        assertEquals("10001", ok(30, "exec", "gateway-" + SUFFIX, "id", "-u"), "runs as the non-root user");
    }
}
