package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.Awaits;
import gaming.testing.NatsMonitor;
import gaming.testing.Http;
import gaming.testing.NatsServer;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;
import quest.v1.Quest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NATS outages against the real gateway and real nats-server processes: the server killed under
 * load and restarted on its port, a hung server (SIGSTOP) and a stalled network (a {@link TcpProxy}
 * that stops forwarding), a cluster URL list with dead entries, and a link cut in the middle of a
 * request. Every request gets 200, 503 or 504 (never 500, never a connection error) within its
 * route timeout, and the gateway recovers by itself.
 */
@Tag("fault")
class NatsOutageFaultIT {
    private static final String SUBJECT = "svc.quest.v1.generate";
    private static final String PATH = "/quest/generate";
    private static final long ROUTE_TIMEOUT_MS = 2000;
    /** Scheduling and HTTP slack on top of the route timeout. */
    // scheduling on a loaded 2-core machine (3.6 s seen with two CPU-bound processes beside the suite);
    // still well below what a request waiting through the hang would take (the hang is noticed after 9.5-11 s)
    private static final long SLACK_MS = 4000;
    private static final Map<String, String> SHORT_TIMEOUT = Map.of("gateway.nats.timeout-seconds", "2");
    private static final byte[] QUEST = GenerateQuestResponse.newBuilder()
            .setQuest(Quest.newBuilder().setQuestId("q-1").setTitle("t")).build().toByteArray();

    /** One request of a load run: when it started and ended (ns) and its status (-1: connection error). */
    private record Sample(long start, long end, int status, String detail) {
        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    // ---- (a) nats-server killed under load, restarted on the same port ----

    @Test
    void natsKilledUnderLoadAndRestartedOnItsPort() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Connection service = FaultKit.service(nats.url());
             Gateway gateway = FaultKit.gateway(nats.url(), SHORT_TIMEOUT)) {
            Dispatcher responder = answerAtOnce(service);
            Http http = new Http(gateway.port());
            Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect");
            assertEquals(200, http.post(PATH, "{}").statusCode());
            int baselineSubs = NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION);

            Load load = Load.start(http, 16, "{\"region\":\"r\"}");
            FaultKit.sleep(3000);
            long killed = System.nanoTime();
            nats.stop();
            FaultKit.sleep(3000);
            nats.restart();
            long restarted = System.nanoTime();
            FaultKit.sleep(6000);
            List<Sample> samples = load.stop();

            Map<Integer, Integer> counts = counts(samples);
            long maxMillis = samples.stream().mapToLong(Sample::millis).max().orElse(0);
            double before = rate(samples, killed - TimeUnit.SECONDS.toNanos(2), killed);
            long firstOk = samples.stream().filter(s -> s.status() == 200 && s.start() >= restarted)
                    .mapToLong(s -> (s.end() - restarted) / 1_000_000).min().orElse(-1);
            long recovered = recoveryMillis(samples, restarted, before / 2);
            double after = rate(samples, restarted + TimeUnit.SECONDS.toNanos(5), restarted + TimeUnit.SECONDS.toNanos(6));
            System.out.printf("[fault] kill under load: %d requests, by status %s, slowest %d ms; 200/s before %.0f,"
                                      + " first 200 %d ms after the restart, throughput >= half in %d ms, 200/s at +5 s %.0f%n",
                              samples.size(), counts, maxMillis, before, firstOk, recovered, after);

            assertAll(
                    () -> assertTrue(Set.of(200, 503, 504).containsAll(counts.keySet()),
                                     "statuses " + counts + ", e.g. " + firstOther(samples, Set.of(200, 503, 504))),
                    () -> assertTrue(counts.getOrDefault(503, 0) > 0, "no 503 while NATS was down: " + counts),
                    () -> assertTrue(maxMillis <= ROUTE_TIMEOUT_MS + SLACK_MS, "a request took " + maxMillis + " ms"),
                    () -> assertTrue(recovered >= 0 && recovered <= 5000,
                                     "throughput back to half of " + before + "/s after " + recovered + " ms"),
                    () -> assertTrue(after >= before / 2, "200/s at +5 s: " + after + " vs " + before + " before"));
            Awaits.until(() -> NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION) == baselineSubs,
                                 Duration.ofSeconds(5), "the gateway's subscriptions back to " + baselineSubs);
            assertEquals(0, gateway.activeStreams());
            service.closeDispatcher(responder);
        }
    }

    // ---- (b) a hung server and a stalled network ----

    @Test
    void hungServerIsNoticedAndRecoveredFrom() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Connection service = FaultKit.service(nats.url());
             Gateway gateway = FaultKit.gateway(nats.url(), SHORT_TIMEOUT)) {
            answerAtOnce(service);
            long pid = nats.pid();
            hangAndRecover("SIGSTOP nats-server", gateway, nats,
                           () -> signal("STOP", pid), () -> signal("CONT", pid));
        }
    }

    @Test
    void stalledNetworkIsNoticedAndRecoveredFrom() throws Exception {
        try (NatsServer nats = NatsServer.start();
             TcpProxy proxy = TcpProxy.to(nats.port());
             Connection service = FaultKit.service(nats.url());
             Gateway gateway = FaultKit.gateway(proxy.natsUrl(), SHORT_TIMEOUT)) {
            answerAtOnce(service);
            hangAndRecover("stalled proxy", gateway, nats, proxy::stall, proxy::resume);
        }
    }

    /**
     * Traffic flows, then {@code hang}: /health must turn 503 within 15 s (pings every 5 s, 2 out)
     * while requests keep getting 504 or 503 within their timeout; then {@code release}: /health
     * 200 and requests 200 again.
     */
    private static void hangAndRecover(String what, Gateway gateway, NatsServer nats, Runnable hang, Runnable release)
            throws InterruptedException {
        Http http = new Http(gateway.port());
        Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect");
        Load load = Load.start(http, 2, "{}");
        FaultKit.sleep(1000);
        long noticed;
        long recovered;
        hang.run();
        try {
            noticed = awaitOrNegative(() -> http.get("/health").statusCode() == 503, Duration.ofSeconds(30));
        } finally {
            release.run();
        }
        long released = System.nanoTime();
        recovered = awaitOrNegative(() -> http.get("/health").statusCode() == 200
                && http.post(PATH, "{}").statusCode() == 200, Duration.ofSeconds(15));
        FaultKit.sleep(2500); // past the 2 s waits begun during the hang
        List<Sample> samples = load.stop();
        Map<Integer, Integer> counts = counts(samples);
        long maxMillis = samples.stream().mapToLong(Sample::millis).max().orElse(0);
        long afterRelease = samples.stream().filter(s -> s.start() > released + TimeUnit.MILLISECONDS.toNanos(recovered))
                .filter(s -> s.status() == 200).count();
        System.out.printf("[fault] %s: /health 503 after %d ms, 200 again %d ms after release; %d requests, by status"
                                  + " %s, slowest %d ms%n", what, noticed, recovered, samples.size(), counts, maxMillis);
        assertAll(
                () -> assertTrue(noticed >= 0 && noticed <= 15_000, what + " noticed after " + noticed + " ms (max 15000)"),
                () -> assertTrue(recovered >= 0 && recovered <= 10_000, what + " recovered after " + recovered + " ms"),
                () -> assertTrue(Set.of(200, 503, 504).containsAll(counts.keySet()),
                                 "statuses " + counts + ", e.g. " + firstOther(samples, Set.of(200, 503, 504))),
                () -> assertTrue(maxMillis <= ROUTE_TIMEOUT_MS + SLACK_MS, "a request took " + maxMillis + " ms"),
                () -> assertTrue(afterRelease > 0, "no 200 after the recovery"));
        assertEquals(1, NatsMonitor.connections(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION),
                     "the gateway holds exactly one NATS connection after recovering");
    }

    // ---- (c) a cluster URL list ----

    @Test
    void clusterUrlListWithDeadEntriesWorks() throws Exception {
        try (NatsServer nats = NatsServer.start();
             ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Connection service = FaultKit.service(nats.url())) {
            answerAtOnce(service);
            // accepts TCP but never speaks NATS: a hung node
            Thread.ofVirtual().start(() -> holdConnections(blackhole));
            String refused = "nats://127.0.0.1:" + NatsServer.freePort();
            String hung = "nats://127.0.0.1:" + blackhole.getLocalPort();
            for (String urls : List.of(refused + "," + nats.url(), hung + ", " + nats.url(),
                                       refused + "," + hung + "," + nats.url())) {
                try (Gateway gateway = FaultKit.gateway(urls, SHORT_TIMEOUT)) {
                    Http http = new Http(gateway.port());
                    long connected = Awaits.until(gateway::natsConnected, Duration.ofSeconds(15),
                                                          "the gateway to connect through " + urls);
                    for (int i = 0; i < 20; i++) {
                        assertEquals(200, http.post(PATH, "{}").statusCode(), urls);
                    }
                    System.out.printf("[fault] NATS_URL=%s: connected after %d ms, 20 requests 200%n", urls, connected);
                }
            }
        }
    }

    @Test
    void clusterUrlListFailsOverWhenTheServerInUseDies() throws Exception {
        try (NatsServer a = NatsServer.start();
             NatsServer b = NatsServer.start();
             Connection serviceA = FaultKit.service(a.url());
             Connection serviceB = FaultKit.service(b.url());
             Gateway gateway = FaultKit.gateway(a.url() + "," + b.url(), SHORT_TIMEOUT)) {
            answerAtOnce(serviceA);
            answerAtOnce(serviceB);
            Http http = new Http(gateway.port());
            Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect");
            assertEquals(200, http.post(PATH, "{}").statusCode());
            boolean onA = NatsMonitor.connections(a.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION) == 1;
            NatsServer used = onA ? a : b;
            NatsServer other = onA ? b : a;
            long stopped = System.nanoTime();
            used.stop();
            long failover = Awaits.until(() -> http.post(PATH, "{}").statusCode() == 200, Duration.ofSeconds(10),
                                                 "a 200 through the other server");
            System.out.printf("[fault] failover from %s to %s: 200 again after %d ms%n", used.url(), other.url(),
                              (System.nanoTime() - stopped) / 1_000_000);
            assertTrue(failover <= 5000, "failover took " + failover + " ms");
            assertEquals(1, NatsMonitor.connections(other.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION));
        }
    }

    // ---- (d) a disconnect in the middle of a request ----

    @Test
    void disconnectDuringARequestIs503Or504WithinTheTimeout() throws Exception {
        try (NatsServer nats = NatsServer.start();
             TcpProxy proxy = TcpProxy.to(nats.port());
             Connection service = FaultKit.service(nats.url());
             Gateway gateway = FaultKit.gateway(proxy.natsUrl(), SHORT_TIMEOUT)) {
            ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
            // answers each request after 1 s, from its own thread
            Dispatcher slow = service.createDispatcher(msg -> {
                received.add(System.nanoTime());
                Thread.ofVirtual().start(() -> {
                    FaultKit.sleep(1000);
                    service.publish(msg.getReplyTo(), QUEST);
                });
            });
            slow.subscribe(SUBJECT);
            service.flush(Duration.ofSeconds(2));
            Http http = new Http(gateway.port());
            Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect");
            assertEquals(200, http.post(PATH, "{}").statusCode());
            int baselineSubs = NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION);

            // the link goes down and stays down past the timeout
            Sample down = cutDuringRequest(http, received, proxy::refuse);
            // the link drops and comes straight back (jnats reconnects at once)
            proxy.resume();
            Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to reconnect");
            Sample blip = cutDuringRequest(http, received, proxy::cut);
            Awaits.until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to reconnect");
            HttpResponse<String> after = http.post(PATH, "{}");
            System.out.printf("[fault] cut during a request: link down -> %d in %d ms (%s); blip -> %d in %d ms (%s);"
                                      + " next request %d%n", down.status(), down.millis(), down.detail(), blip.status(),
                              blip.millis(), blip.detail(), after.statusCode());
            assertAll(
                    () -> assertTrue(Set.of(503, 504).contains(down.status()), "link down: " + down),
                    () -> assertTrue(down.millis() <= ROUTE_TIMEOUT_MS + SLACK_MS, "link down took " + down.millis()),
                    () -> assertTrue(Set.of(200, 503, 504).contains(blip.status()), "blip: " + blip),
                    () -> assertTrue(blip.millis() <= ROUTE_TIMEOUT_MS + SLACK_MS, "blip took " + blip.millis()),
                    () -> assertEquals(200, after.statusCode(), "after the cuts: " + after.body()));
            Awaits.until(() -> NatsMonitor.subscriptions(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION) == baselineSubs,
                                 Duration.ofSeconds(5), "the gateway's subscriptions back to " + baselineSubs);
            assertEquals(1, NatsMonitor.connections(nats.monitorUrl(), NatsMonitor.GATEWAY_CONNECTION));
            service.closeDispatcher(slow);
        }
    }

    /** Sends a request, waits until the service holds it, runs {@code cut}, and returns the request's outcome. */
    private static Sample cutDuringRequest(Http http, ConcurrentLinkedQueue<Long> received, Runnable cut) throws Exception {
        received.clear();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(
                () -> http.post(PATH, "{}"), r -> Thread.ofVirtual().start(r));
        Awaits.until(() -> !received.isEmpty(), Duration.ofSeconds(2), "the service to get the request");
        cut.run();
        HttpResponse<String> res = pending.get(10, TimeUnit.SECONDS);
        String code = res.body().contains("\"code\":\"") ? res.body().replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1") : "";
        return new Sample(start, System.nanoTime(), res.statusCode(), code);
    }

    // ---- helpers ----

    /** A healthy service on {@link #SUBJECT}: a valid reply at once. */
    private static Dispatcher answerAtOnce(Connection service) throws Exception {
        Dispatcher d = service.createDispatcher(msg -> service.publish(msg.getReplyTo(), QUEST));
        d.subscribe(SUBJECT);
        service.flush(Duration.ofSeconds(2));
        return d;
    }

    /** Clients in a loop, each on its own virtual thread, recording every request. */
    private static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        static Load start(Http http, int clients, String body) {
            Load load = new Load();
            for (int i = 0; i < clients; i++) {
                load.threads.add(Thread.ofVirtual().name("load-" + i).start(() -> {
                    while (load.running.get()) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> res = http.post(PATH, body);
                            load.samples.add(new Sample(start, System.nanoTime(), res.statusCode(),
                                                        res.statusCode() == 200 ? "" : res.body()));
                        } catch (UncheckedIOException e) {
                            load.samples.add(new Sample(start, System.nanoTime(), -1, e.getCause().toString()));
                        }
                    }
                }));
            }
            return load;
        }

        List<Sample> stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(10));
            }
            return new ArrayList<>(samples);
        }
    }

    private static Map<Integer, Integer> counts(List<Sample> samples) {
        Map<Integer, Integer> counts = new TreeMap<>();
        samples.forEach(s -> counts.merge(s.status(), 1, Integer::sum));
        return counts;
    }

    private static String firstOther(List<Sample> samples, Set<Integer> allowed) {
        return samples.stream().filter(s -> !allowed.contains(s.status())).findFirst()
                .map(s -> s.status() + " " + s.detail()).orElse("none");
    }

    /** 200s per second that ended in [from, to). */
    private static double rate(List<Sample> samples, long from, long to) {
        long ok = samples.stream().filter(s -> s.status() == 200 && s.end() >= from && s.end() < to).count();
        return ok * 1e9 / (to - from);
    }

    /** Ms after {@code restarted} at which a 1 s window first holds at least {@code target} 200s per second; -1 never. */
    private static long recoveryMillis(List<Sample> samples, long restarted, double target) {
        long window = TimeUnit.SECONDS.toNanos(1);
        for (long offset = 0; offset <= TimeUnit.SECONDS.toNanos(5); offset += TimeUnit.MILLISECONDS.toNanos(100)) {
            if (rate(samples, restarted + offset, restarted + offset + window) >= target) {
                return (offset + window) / 1_000_000;
            }
        }
        return -1;
    }

    private static long awaitOrNegative(java.util.function.BooleanSupplier condition, Duration timeout) {
        try {
            return Awaits.until(condition, timeout, "");
        } catch (AssertionError e) {
            return -1;
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void holdConnections(ServerSocket server) {
        List<Socket> held = new ArrayList<>();
        try {
            while (true) {
                held.add(server.accept());
            }
        } catch (IOException closed) {
            held.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            });
        }
    }
}
