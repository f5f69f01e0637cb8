package gaming.gateway;

import gaming.testing.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A configuration error at start-up, per kind, running the built jar ({@code java -jar}): exactly
 * one line on stderr naming the setting, no stack trace, exit code 1.
 */
class StartupErrorsIT {
    @TempDir
    Path dir;

    /** The gateway started with {@code env}; its stderr lines once it has exited. */
    private static List<String> failedStart(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", "target/http-nats-gateway.jar", "gateway");
        Map<String, String> environment = new HashMap<>(Map.of("PORT", String.valueOf(NatsServer.freePort()), "HOST", "127.0.0.1",
                                                                "NATS_URL", "nats://127.0.0.1:" + NatsServer.freePort()));
        environment.putAll(env);
        builder.environment().keySet().removeIf(name -> name.startsWith("NATS_") || name.startsWith("JWT_")
                || name.equals("IDENTITY_MODE") || name.equals("GATEWAY_CONFIG"));
        builder.environment().putAll(environment);
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stderr = process.getErrorStream().readAllBytes();
        assertThat("exited", process.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(process.exitValue(), is(1));
        return new String(stderr, StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void unknownIdentityMode() throws Exception {
        assertThat(failedStart(Map.of("IDENTITY_MODE", "bogus")),
                   is(List.of("http-nats-gateway cannot start: gateway.identity.mode (IDENTITY_MODE) must be one of"
                                      + " trust-headers, strip, jwt; got 'bogus'")));
    }

    @Test
    void incompleteJwtSettings() throws Exception {
        assertThat(failedStart(Map.of("IDENTITY_MODE", "jwt")),
                   is(List.of("http-nats-gateway cannot start: IDENTITY_MODE=jwt needs exactly one of"
                                      + " gateway.identity.jwt.jwks-url (JWT_JWKS_URL) and gateway.identity.jwt.public-key-file"
                                      + " (JWT_PUBLIC_KEY_FILE)")));
    }

    @Test
    void routeWithAnUnknownType() throws Exception {
        Path config = Files.writeString(dir.resolve("routes.yaml"), """
                gateway:
                  routes:
                    - name: quest-generate
                      path: /quest/generate
                      subject: svc.quest.v1.generate
                      request: quest.v1.NoSuchRequest
                      reply: quest.v1.GenerateQuestResponse
                """);
        assertThat(failedStart(Map.of("GATEWAY_CONFIG", config.toString())),
                   is(List.of("http-nats-gateway cannot start: route quest-generate (/quest/generate): request type"
                                      + " 'quest.v1.NoSuchRequest' does not resolve to a generated Protobuf message"
                                      + " or a type of gateway.descriptor-sets")));
    }

    @Test
    void valueOfTheWrongType() throws Exception {
        assertThat(failedStart(Map.of("NATS_TIMEOUT_SECONDS", "abc")),
                   is(List.of("http-nats-gateway cannot start: configuration error: gateway.nats.timeout-seconds"
                                      + " (NATS_TIMEOUT_SECONDS) has a value of the wrong type: 'abc'")));
    }

    @Test
    void configFileThatCannotBeRead() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertThat(failedStart(Map.of("GATEWAY_CONFIG", missing.toString())),
                   is(List.of("http-nats-gateway cannot start: GATEWAY_CONFIG names " + missing + ", which cannot be read")));
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(failedStart(Map.of("PORT", String.valueOf(taken.getLocalPort()))),
                       is(List.of("http-nats-gateway cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                          + " (Address already in use); set PORT to use another port")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void adminPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(failedStart(Map.of("ADMIN_PORT", String.valueOf(taken.getLocalPort()),
                                          "GATEWAY_ADMIN_TOKEN", "0123456789abcdef0123")),
                       is(List.of("http-nats-gateway cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                          + " for the admin endpoints (Address already in use); set ADMIN_PORT to use"
                                          + " another port")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void adminPortSameAsPort() throws Exception {
        String port = String.valueOf(NatsServer.freePort());
        assertThat(failedStart(Map.of("PORT", port, "ADMIN_PORT", port, "GATEWAY_ADMIN_TOKEN", "0123456789abcdef0123")),
                   is(List.of("http-nats-gateway cannot start: ADMIN_PORT and PORT are both " + port
                                      + ": the admin endpoints need a port of their own")));
    }
}
