package gaming.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the image from the Dockerfile with Testcontainers and runs it (read-only root, as the
 * Kubernetes manifests do) beside a NATS container; waits for Docker's own HEALTHCHECK to report
 * healthy, then checks {@code /health} through the mapped port and the non-root user. Skipped with
 * a visible message where no Docker engine runs; never the only check: DockerfileTest checks the
 * file itself everywhere.
 */
@Testcontainers
class DockerImageIT {
    @BeforeAll
    static void requireDocker() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            System.out.println("SKIPPED DockerImageIT: no Docker engine is available to Testcontainers");
        }
        Assumptions.assumeTrue(docker, "no Docker engine");
    }

    @Test
    void imageBecomesHealthyAndServesHealth() throws Exception {
        int port = DeployFacts.port();
        ImageFromDockerfile image = new ImageFromDockerfile("http-nats-gateway-it", true)
                .withFileFromPath(".", DeployFacts.root());
        try (Network network = Network.newNetwork();
             GenericContainer<?> nats = new GenericContainer<>("nats:2")
                     .withCommand("-js").withNetwork(network).withNetworkAliases("nats");
             GenericContainer<?> gateway = new GenericContainer<>(image)
                     .withNetwork(network)
                     .withEnv("NATS_URL", "nats://nats:4222")
                     .withExposedPorts(port)
                     .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
                     .withTmpFs(java.util.Map.of("/tmp", "rw"))
                     .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)))) {
            nats.start();
            gateway.start();
            URI health = URI.create("http://" + gateway.getHost() + ":" + gateway.getMappedPort(port) + DeployFacts.HEALTH_PATH);
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"nats_connected\":true"), response.body());
            assertEquals("10001", gateway.execInContainer("id", "-u").getStdout().strip(), "runs as the non-root user");
        }
    }
}
