package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.NatsServer;
import gaming.testing.TestGateway;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import quest.v1.GenerateQuestResponse;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code gateway_nats_outstanding_requests} counts exactly the requests waiting for a reply: the
 * held ones while they wait, and zero after replies, timeouts (504) and no responders (503); never
 * below zero (jnats' own counter reached -1 after plain load, issue 12 item 4).
 */
class OutstandingRequestsIT {
    @Test
    void countsExactlyTheRequestsWaitingForAReply() throws Exception {
        try (NatsServer nats = NatsServer.start();
             Connection service = Nats.connect(nats.url());
             Gateway gateway = TestGateway.start(nats.url(), Map.of("gateway.nats.timeout-seconds", "1"))) {
            ConcurrentLinkedQueue<Message> held = new ConcurrentLinkedQueue<>();
            byte[] reply = GenerateQuestResponse.getDefaultInstance().toByteArray();
            Dispatcher d = service.createDispatcher(msg -> {
                if (msg.getSubject().equals("svc.quest.v1.generate")) {
                    service.publish(msg.getReplyTo(), reply);
                } else {
                    held.add(msg); // svc.npc.behavior.v1.plan: never answered -> 504
                }
            });
            d.subscribe("svc.quest.v1.generate");
            d.subscribe("svc.npc.behavior.v1.plan");
            service.flush(Duration.ofSeconds(5));
            Http http = new Http(gateway.port());

            // plain load: 16 clients back to back for 5 s (jnats' own counter raced its 100 ms
            // cleanup here and ended below zero)
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < until) {
                        assertEquals(200, http.post("/quest/generate", "{}").statusCode());
                        ok.incrementAndGet();
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            System.out.println(ok.get() + " requests answered 200");
            assertEquals(0.0, outstanding(http), "after " + ok.get() + " replies");

            // replies that arrive just as their request times out (route timeout 1 s)
            d.subscribe("svc.state.manager.v1.get", msg -> Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(990 + (long) (Math.random() * 20));
                } catch (InterruptedException e) {
                    return;
                }
                service.publish(msg.getReplyTo(), reply);
            }));
            service.flush(Duration.ofSeconds(5));
            List<CompletableFuture<HttpResponse<String>>> edge = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                edge.add(CompletableFuture.supplyAsync(() -> http.post("/state/get", "{\"key\":\"k\"}"),
                                                       r -> Thread.ofVirtual().start(r)));
            }
            for (CompletableFuture<HttpResponse<String>> f : edge) {
                f.get(30, TimeUnit.SECONDS);
            }
            Thread.sleep(300); // jnats' cleanup runs every 100 ms
            assertEquals(0.0, outstanding(http), "after replies at the timeout");

            // requests waiting: counted while they wait, then time out (504)
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(CompletableFuture.supplyAsync(() -> http.post("/npc/behavior", "{}"),
                                                          r -> Thread.ofVirtual().start(r)));
            }
            Awaits.until(() -> held.size() == 5, Duration.ofSeconds(10), "5 requests at the service");
            assertEquals(5.0, outstanding(http), "while 5 requests wait");
            for (CompletableFuture<HttpResponse<String>> f : waiting) {
                assertEquals(504, f.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(0.0, outstanding(http), "after 5 timeouts");

            // no responders (503) on a subject nobody listens on
            d.unsubscribe("svc.quest.v1.generate");
            service.flush(Duration.ofSeconds(5));
            for (int i = 0; i < 20; i++) {
                assertEquals(503, http.post("/quest/generate", "{}").statusCode());
            }
            assertEquals(0.0, outstanding(http), "after 20 no-responders");
        }
    }

    private static double outstanding(Http http) {
        return Metrics.scrape(http).value("gateway_nats_outstanding_requests");
    }
}
