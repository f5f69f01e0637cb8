package gaming;

import gaming.testing.NatsServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code demo-migration} (the jar, as {@code ./gw demo-migration} runs it) with one of its fixed
 * ports taken: like {@code demo} for {@code PORT}, it exits 1 with exactly one line on stderr naming
 * the address and the variable that moves it, instead of a stack trace and a process that stays up
 * without a gateway.
 */
class DemoMigrationPortsIT {
    /** demo-migration run with {@code env} on free ports otherwise; its stderr lines once it has exited. */
    private static List<String> failedStart(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                    "-jar", "target/http-nats-gateway.jar", "demo-migration");
        builder.environment().keySet().removeIf(name -> name.startsWith("NATS_") || name.equals("GATEWAY_CONFIG")
                || name.equals("GATEWAY_ADMIN_TOKEN"));
        builder.environment().putAll(Map.of("HOST", "127.0.0.1", "PORT", String.valueOf(NatsServer.freePort()),
                                            "ADMIN_PORT", String.valueOf(NatsServer.freePort()),
                                            "LEGACY_PORT", String.valueOf(NatsServer.freePort()),
                                            "NATS_SERVER_BIN", NatsServer.binary()));
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile("demo-migration", ".err");
        Process demo = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        try {
            // a stderr file, not a pipe: a demo that stays up (as it did) fails here instead of hanging the test
            boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
            assertThat("exited within 60 s; stderr: " + Files.readString(stderr), exited, is(true));
            assertThat(demo.exitValue(), is(1));
            return Files.readAllLines(stderr, StandardCharsets.UTF_8);
        } finally {
            demo.destroyForcibly();
            Files.delete(stderr);
        }
    }

    @Test
    void legacyPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(failedStart(Map.of("LEGACY_PORT", String.valueOf(taken.getLocalPort()))),
                       is(List.of("demo-migration cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                          + " for the legacy model service (Address already in use); set LEGACY_PORT"
                                          + " to use another port")));
        }
    }

    @Test
    void legacyPortNotANumber() throws Exception {
        assertThat(failedStart(Map.of("LEGACY_PORT", "90x")),
                   is(List.of("demo-migration cannot start: LEGACY_PORT must be a port number (0 to 65535, 0: any free"
                                      + " port); got '90x'")));
    }

    @Test
    void adminPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(failedStart(Map.of("ADMIN_PORT", String.valueOf(taken.getLocalPort()))),
                       is(List.of("http-nats-gateway cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                          + " for the admin endpoints (Address already in use); set ADMIN_PORT to use"
                                          + " another port")));
        }
    }
}
