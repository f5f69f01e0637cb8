package gaming.bench;

import gaming.gateway.config.ConfigLoader;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.nats.NatsSettings;

import io.nats.client.impl.Headers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bench-direct}: the NATS-side limit of the gateway. The gateway's own {@link NatsClient},
 * built from the gateway's configuration (so the same jnats connection options), sends the
 * InferRequest the gateway makes of the infer example, from N virtual threads, each waiting for
 * its reply like a gateway handler does. No HTTP, no JSON.
 *
 * <pre>--concurrency 1,64  --duration 8 (seconds per concurrency)  --warmup 3  --subject svc.ai.llm.v1.infer</pre>
 *
 * Prints one line per concurrency: {@code direct c=64 rps=... p50_ms=... p99_ms=...}.
 */
final class BenchDirect {
    private BenchDirect() {
    }

    static void run(String[] argv) throws Exception {
        Args args = new Args(argv);
        String subject = args.get("subject", "svc.ai.llm.v1.infer");
        double duration = args.getDouble("duration", 8);
        double warmup = args.getDouble("warmup", 3);
        NatsSettings settings = NatsSettings.create(ConfigLoader.load().get("gateway").get("nats"));
        NatsClient nats = NatsClient.start(settings);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!nats.connected()) {
            if (System.nanoTime() > deadline) {
                System.err.println("bench-direct: not connected to " + settings.servers());
                System.exit(1);
            }
            Thread.sleep(20);
        }
        byte[] body = BenchPayloads.inferRequest(settings.requestTimeout().toMillis());
        Headers headers = BenchPayloads.natsHeaders();
        System.out.println("bench-direct: request " + body.length + " bytes to " + subject + " at " + settings.servers());
        if (warmup > 0) {
            measure(nats, subject, headers, body, 64, warmup, settings.requestTimeout());
        }
        for (String c : args.get("concurrency", "1,64").split(",")) {
            int concurrency = Integer.parseInt(c.trim());
            Result r = measure(nats, subject, headers, body, concurrency, duration, settings.requestTimeout());
            System.out.printf(Locale.ROOT, "direct c=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d%n",
                              concurrency, r.rps, r.p50, r.p99, r.count, r.errors);
        }
        nats.close();
        System.exit(0);
    }

    private record Result(double rps, double p50, double p99, long count, long errors) {
    }

    private static Result measure(NatsClient nats, String subject, Headers headers, byte[] body,
                                  int concurrency, double seconds, Duration timeout) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Latencies> parts = new ArrayList<>();
        long[] errors = new long[concurrency];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Latencies lat = new Latencies();
            parts.add(lat);
            int slot = i;
            threads.add(Thread.ofVirtual().unstarted(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        nats.request(subject, headers, body, timeout);
                        lat.add(System.nanoTime() - t0);
                    } catch (RuntimeException e) {
                        errors[slot]++;
                    }
                }
            }));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Latencies.merged(parts);
        long errs = 0;
        for (long e : errors) {
            errs += e;
        }
        return new Result(all.length / (elapsed / 1e9), Latencies.millis(all, 0.50), Latencies.millis(all, 0.99),
                          all.length, errs);
    }
}
