package gaming.gateway.fault;

import gaming.testing.NatsServer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway jar under {@code ulimit -n 1024} (issue 12, item 1): 1,100 TCP connections opened
 * and held, then closed; the gateway answers {@code /health} 200 again within 5 s. With the
 * default cap the listener never runs out of descriptors; with a cap above the limit
 * ({@code MAX_CONNECTIONS=2000}) accept fails with "Too many open files", Helidon's accept loop
 * ends, and the gateway starts a new listener on the same port.
 */
@Tag("fault")
class FdExhaustionFaultIT {
    private static final Path JAR = Path.of("target/http-nats-gateway.jar");
    private static final int CONNECTIONS = 1100;

    @ParameterizedTest(name = "MAX_CONNECTIONS={0}")
    @ValueSource(strings = {"0", "2000"})
    void servesAgainWithin5sAfter1100ConnectionsUnderUlimit1024(String maxConnections) throws Exception {
        Path log = Files.createTempFile("gateway-fd", ".log");
        int port = NatsServer.freePort();
        try (NatsServer nats = NatsServer.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", "ulimit -n 1024; exec " + java + " -jar " + JAR)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("HOST", "127.0.0.1");
            builder.environment().put("NATS_URL", nats.url());
            builder.environment().put("ACCESS_LOG", "false");
            builder.environment().put("MAX_CONNECTIONS", maxConnections);
            Process gateway = builder.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            try {
                // start-up: a generous deadline (a busy machine has taken over 30 s); the 5 s bound is the recovery's
                awaitHealth(http, port, gateway, log, TimeUnit.SECONDS.toNanos(120));

                List<Socket> sockets = new ArrayList<>();
                int refused = 0;
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                        sockets.add(s);
                    } catch (IOException e) {
                        s.close();
                        refused++;
                    }
                }
                FaultKit.sleep(2000);
                for (Socket s : sockets) {
                    s.close();
                }
                long closed = System.nanoTime();
                long back = awaitHealth(http, port, gateway, log, TimeUnit.SECONDS.toNanos(20));
                long millis = (back - closed) / 1_000_000;
                String output = Files.readString(log);
                System.out.printf("[fault] ulimit -n 1024, MAX_CONNECTIONS=%s: %d connections held (%d not accepted), /health"
                                          + " 200 %d ms after closing them; listener died: %b, restarted: %b%n",
                                  maxConnections, sockets.size(), refused, millis,
                                  output.contains("this server socket is terminating"), output.contains("restarted"));
                assertTrue(millis <= 5000, "/health 200 only " + millis + " ms after the connections closed");
                assertTrue(gateway.isAlive());
                if (maxConnections.equals("0")) {
                    assertTrue(!output.contains("Too many open files"), "the default cap keeps clear of the fd limit:\n" + output);
                }
                // and it keeps serving
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, status(http, port));
                }
            } finally {
                gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls {@code /health} until 200; returns when (ns). */
    private static long awaitHealth(HttpClient http, int port, Process gateway, Path log, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited: " + Files.readString(log));
            }
            if (status(http, port) == 200) {
                return System.nanoTime();
            }
            FaultKit.sleep(50);
        }
        throw new AssertionError("no /health 200 within " + timeoutNanos / 1_000_000 + " ms:\n" + Files.readString(log));
    }

    private static int status(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                     .timeout(Duration.ofSeconds(2)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
