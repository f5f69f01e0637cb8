package gaming.gateway;

import ai.llm.v1.CancelRequest;
import ai.llm.v1.Delta;
import ai.llm.v1.InferChunk;
import com.google.protobuf.InvalidProtocolBufferException;
import gaming.testing.Awaits;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.SseClient;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;

import java.io.IOException;
import java.net.ConnectException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

/**
 * The built jar as a process: {@code java -jar} starts and answers {@code /health}; SIGTERM with
 * requests and streams open drains them and exits 0 within the grace period. How fast it starts
 * (under 2 s) is a speed figure, measured by {@code bench/run} on a quiet machine, not here.
 */
class JarIT {
    private static final Path JAR = Path.of("target/http-nats-gateway.jar");
    private static final int GRACE_SECONDS = 10;

    @Test
    void javaJarStartsAndAnswersHealth() throws Exception {
        try (NatsServer nats = NatsServer.start()) {
            int port = NatsServer.freePort();
            Path log = Files.createTempFile("gateway", ".log");
            long start = System.nanoTime();
            Process gateway = startJar(nats.url(), port, log);
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                awaitHealthy(http, "http://127.0.0.1:" + port, gateway, log);
                long startMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("java -jar to /health 200: " + startMillis + " ms");
            } finally {
                gateway.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void sigtermDrainsRequestsAndStreamsAndExitsZero() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Connection service = Nats.connect(nats.url())) {
            Set<String> cancelled = ConcurrentHashMap.newKeySet();
            Dispatcher dispatcher = service.createDispatcher();
            dispatcher.subscribe("svc.quest.v1.generate", msg -> Thread.ofVirtual().start(() -> {
                sleep(2000);
                service.publish(msg.getReplyTo(), GenerateQuestResponse.getDefaultInstance().toByteArray());
            }));
            dispatcher.subscribe("svc.ai.llm.v1.infer", msg -> Thread.ofVirtual().start(() -> {
                String id = "gen-" + msg.getReplyTo();
                for (int i = 0; i < 1000 && !cancelled.contains(id); i++) {
                    service.publish(msg.getReplyTo(), InferChunk.newBuilder().setGenerationId(id).setIndex(i)
                            .setDelta(Delta.newBuilder().setOutputTextDelta("t")).build().toByteArray());
                    sleep(100);
                }
            }));
            dispatcher.subscribe("svc.ai.llm.v1.cancel", msg -> {
                try {
                    cancelled.add(CancelRequest.parseFrom(msg.getData()).getGenerationId());
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            });
            service.flush(Duration.ofSeconds(2));

            int port = NatsServer.freePort();
            Path log = Files.createTempFile("gateway", ".log");
            Process gateway = startJar(nats.url(), port, log);
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + port;
                awaitHealthy(http, base, gateway, log);

                List<SseClient> streams = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    SseClient stream = SseClient.post(port, "/ai/llm/infer", "{\"params\":{\"stream\":true}}");
                    assertThat(stream.status(), is(200));
                    stream.next();
                    streams.add(stream);
                }
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<Integer>> requests = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        requests.add(clients.submit(() -> http.send(
                                HttpRequest.newBuilder(URI.create(base + "/quest/generate"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode()));
                    }
                    sleep(500);
                    long term = System.nanoTime();
                    gateway.destroy(); // SIGTERM
                    sleep(200);
                    assertThat("readiness turns 503 first", status(http, base + "/observe/health/ready"), is(503));
                    assertThat(status(http, base + "/health"), is(503));

                    Map<Integer, Long> statuses = new ConcurrentHashMap<>();
                    for (Future<Integer> request : requests) {
                        statuses.merge(request.get(GRACE_SECONDS + 5, TimeUnit.SECONDS), 1L, Long::sum);
                    }
                    System.out.println("in-flight requests at SIGTERM, by status: " + statuses);
                    for (int status : statuses.keySet()) {
                        assertThat(status, anyOf(is(200), is(503)));
                    }
                    for (SseClient stream : streams) {
                        List<SseClient.Event> rest = stream.rest();
                        SseClient.Event last = rest.getLast();
                        assertThat(last.isError(), is(true));
                        assertThat(Problems.parse(last.data()).getFieldsOrThrow("code").getStringValue(), is("UNAVAILABLE"));
                        stream.close();
                    }
                    assertThat("exited within the grace period", gateway.waitFor(GRACE_SECONDS, TimeUnit.SECONDS), is(true));
                    System.out.printf("SIGTERM to exit: %d ms, exit code %d%n",
                                      (System.nanoTime() - term) / 1_000_000, gateway.exitValue());
                    assertThat(gateway.exitValue(), is(0));
                    Awaits.until(() -> cancelled.size() == 10, Duration.ofSeconds(10), "a cancel for each stream");
                    assertThat(refusesConnections(port), is(true));
                    String output = Files.readString(log);
                    assertThat(output, output.contains("shutdown complete"), is(true));
                }
            } finally {
                gateway.destroyForcibly();
            }
        }
    }

    /** The jar as a gateway process; readiness turns down 700 ms before the listener closes. */
    private static Process startJar(String natsUrl, int port, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgateway.shutdown-delay-millis=700", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1", "NATS_URL", natsUrl,
                                            "SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE_SECONDS)));
        return builder.start();
    }

    /** Generous: a JVM start on a machine busy with other builds can take tens of seconds. */
    private static final int HEALTHY_WITHIN_SECONDS = 120;

    private static void awaitHealthy(HttpClient http, String base, Process gateway, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEALTHY_WITHIN_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited: " + Files.readString(log));
            }
            if (status(http, base + "/health") == 200) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("gateway not healthy in " + HEALTHY_WITHIN_SECONDS + " s: " + Files.readString(log));
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
