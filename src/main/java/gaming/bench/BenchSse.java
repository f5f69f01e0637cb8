package gaming.bench;

import ai.llm.v1.InferRequest;
import common.v1.Meta;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.TraceContext;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-sse}: a streaming LLM service on NATS plus an SSE client of the gateway.
 *
 * <p>The service answers {@code subject} (InferRequest with {@code params.stream}) on the request's
 * reply inbox at once: chunk 0, then the final chunk 1; or, for the prompt {@code "hold"}, chunk 0
 * only, keeping the stream open. Stop any other responder of the subject first.
 *
 * <ol>
 *   <li>Added latency: after {@code --warmup} unrecorded rounds, {@code --latency-streams} times, alternately, (a) a plain NATS client
 *       subscribes an inbox, publishes the request and waits for the first chunk (the service's time
 *       to first chunk), and (b) an HTTP client, already connected, POSTs the seed's streaming
 *       example with {@code Accept: text/event-stream} and waits for the first {@code data:} event.
 *       Prints the p50/p99 of both and the p50 difference: what the gateway adds per stream.</li>
 *   <li>Idle streams: opens {@code --streams} SSE streams (prompt "hold"), {@code --parallel} at a
 *       time, each waiting for its first event, prints {@code READY n}, then holds them until the
 *       file {@code --release} exists or {@code --hold} seconds pass, so that a script can read the
 *       gateway's heap and RSS.</li>
 * </ol>
 *
 * <pre>--gateway http://127.0.0.1:8000  --warmup 5000  --latency-streams 500  --streams 10000  --parallel 200  --hold 60  --release FILE</pre>
 */
final class BenchSse {
    private static final String STREAM_JSON =
            "{\"model_id\":\"gpt-5-pro\",\"input\":{\"prompt\":\"%s\"},\"params\":{\"stream\":true,\"max_tokens\":500}}";

    private BenchSse() {
    }

    static void run(String[] argv) throws Exception {
        Args args = new Args(argv);
        String subject = args.get("subject", "svc.ai.llm.v1.infer");
        String[] hostPort = args.get("gateway", "http://127.0.0.1:8000").replaceFirst("^http://", "").split(":");
        InetSocketAddress gateway = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        String route = args.get("route", "/ai/llm/infer");

        Connection service = connect("bench-sse-service");
        AtomicLong generations = new AtomicLong();
        Dispatcher d = service.createDispatcher(msg -> {
            if (msg.getReplyTo() == null) {
                return;
            }
            boolean hold;
            try {
                hold = BenchPayloads.HOLD_PROMPT.equals(InferRequest.parseFrom(msg.getData()).getInput().getPrompt());
            } catch (IOException e) {
                return;
            }
            String generationId = "gen-" + generations.incrementAndGet();
            service.publish(msg.getReplyTo(), BenchPayloads.chunk(generationId, 0, false));
            if (!hold) {
                service.publish(msg.getReplyTo(), BenchPayloads.chunk(generationId, 1, true));
            }
        });
        d.setPendingLimits(-1, -1);
        d.subscribe(subject, "bench-sse");
        service.flush(Duration.ofSeconds(5));

        int latencyStreams = args.getInt("latency-streams", 500);
        if (latencyStreams > 0) {
            // streams before the measured ones, unrecorded: the stream path's code is compiled, as the
            // request path's is after wrk's warm-up (its frames and heap per stream shrink with it)
            latency(subject, gateway, route, args.getInt("warmup", 5000), latencyStreams);
        }
        int streams = args.getInt("streams", 10000);
        if (streams > 0) {
            long before = generations.get();
            idle(gateway, route, streams, args.getInt("parallel", 200), args.getDouble("hold", 60),
                 args.get("release", ""), () -> generations.get() - before);
        }
        service.close();
        System.exit(0);
    }

    private static Connection connect(String name) throws IOException, InterruptedException {
        return Nats.connect(Options.builder()
                                    .server(Args.natsUrl())
                                    .connectionName(name)
                                    .connectionTimeout(Duration.ofSeconds(5))
                                    .build());
    }

    private static void latency(String subject, InetSocketAddress gateway, String route, int warm, int n)
            throws Exception {
        Connection client = connect("bench-sse-client");
        JsonCodec codec = JsonCodec.create(InferRequest.getDefaultInstance(), false);
        InferRequest.Builder req = (InferRequest.Builder) codec.parse(
                STREAM_JSON.formatted("Tell me a story").getBytes(StandardCharsets.UTF_8));
        req.setMeta(Meta.newBuilder().setTraceId(BenchPayloads.TRACE_ID).setRequestId(TraceContext.randomHex(16)));
        byte[] natsRequest = req.build().toByteArray();
        byte[] httpRequest = httpRequest(gateway, route, "Tell me a story");

        Latencies direct = new Latencies();
        Latencies viaGateway = new Latencies();
        int errors = 0;
        for (int i = 0; i < warm + n; i++) {
            boolean record = i >= warm;
            // the service's time to first chunk, seen by a NATS client
            String inbox = client.createInbox();
            Subscription sub = client.subscribe(inbox);
            long t0 = System.nanoTime();
            client.publish(subject, inbox, natsRequest);
            Message first = sub.nextMessage(Duration.ofSeconds(5));
            long t1 = System.nanoTime();
            if (first == null || sub.nextMessage(Duration.ofSeconds(5)) == null) {
                errors++;
            } else if (record) {
                direct.add(t1 - t0);
            }
            sub.unsubscribe();
            // the first SSE event through the gateway
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                s.connect(gateway);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                long h0 = System.nanoTime();
                out.write(httpRequest);
                out.flush();
                EventReader events = new EventReader(in);
                boolean ok = events.firstEvent();
                long h1 = System.nanoTime();
                if (!ok || !events.finalEvent()) {
                    errors++;
                } else if (record) {
                    viaGateway.add(h1 - h0);
                }
            }
        }
        client.close();
        long[] d = Latencies.merged(List.of(direct));
        long[] g = Latencies.merged(List.of(viaGateway));
        System.out.printf(Locale.ROOT, "sse-first direct_p50_ms=%.3f direct_p99_ms=%.3f gateway_p50_ms=%.3f "
                                  + "gateway_p99_ms=%.3f added_p50_ms=%.3f streams=%d errors=%d%n",
                          Latencies.millis(d, .5), Latencies.millis(d, .99), Latencies.millis(g, .5),
                          Latencies.millis(g, .99), Latencies.millis(g, .5) - Latencies.millis(d, .5), n, errors);
    }

    private static void idle(InetSocketAddress gateway, String route, int n, int parallel, double holdSeconds,
                             String release, java.util.function.LongSupplier served) throws Exception {
        byte[] request = httpRequest(gateway, route, BenchPayloads.HOLD_PROMPT);
        Queue<Socket> open = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger firstFailure = new AtomicInteger();
        Semaphore slots = new Semaphore(parallel);
        List<Thread> threads = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                Socket s = new Socket();
                try {
                    s.setSoTimeout(30_000);
                    s.setReceiveBufferSize(4096);
                    s.connect(gateway, 10_000);
                    s.getOutputStream().write(request);
                    EventReader events = new EventReader(s.getInputStream());
                    if (events.firstEvent()) {
                        open.add(s);
                    } else {
                        if (firstFailure.getAndIncrement() == 0) {
                            System.err.println("bench-sse: stream failed: " + events.head());
                        }
                        failed.incrementAndGet();
                        s.close();
                    }
                } catch (IOException e) {
                    if (firstFailure.getAndIncrement() == 0) {
                        System.err.println("bench-sse: stream failed: " + e);
                    }
                    failed.incrementAndGet();
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a failed socket
                    }
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "sse-idle open=%d failed=%d open_seconds=%.1f service_requests=%d%n",
                          open.size(), failed.get(), took, served.getAsLong());
        System.out.println("READY " + open.size());
        System.out.flush();
        long until = System.nanoTime() + (long) (holdSeconds * 1e9);
        Path releaseFile = release.isEmpty() ? null : Path.of(release);
        while (System.nanoTime() < until && (releaseFile == null || !Files.exists(releaseFile))) {
            Thread.sleep(100);
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static byte[] httpRequest(InetSocketAddress gateway, String route, String prompt) {
        byte[] body = STREAM_JSON.formatted(prompt).getBytes(StandardCharsets.UTF_8);
        String head = "POST " + route + " HTTP/1.1\r\n"
                + "Host: " + gateway.getHostString() + ":" + gateway.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n"
                + "X-Trace-ID: " + BenchPayloads.TRACE_ID + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /** An SSE response read as text, for finding events in it. */
    private static final class EventReader {
        private final InputStream in;
        private final byte[] buf = new byte[4096];
        private final StringBuilder seen = new StringBuilder();

        EventReader(InputStream in) {
            this.in = in;
        }

        /** The start of what was read, for error messages. */
        String head() {
            return seen.length() == 0 ? "(connection closed, nothing read)" : seen.substring(0, Math.min(600, seen.length()));
        }

        /** Reads a 200 response up to the end of its first {@code data:} event; false on another status or EOF. */
        boolean firstEvent() throws IOException {
            return readUntilEventWith("data:", true);
        }

        /** Reads up to the end of the event with {@code "is_final":true}; false on EOF before it. */
        boolean finalEvent() throws IOException {
            return readUntilEventWith("\"is_final\":true", false);
        }

        private boolean readUntilEventWith(String text, boolean checkStatus) throws IOException {
            while (true) {
                int at = seen.indexOf(text);
                if (at >= 0 && seen.indexOf("\n\n", at) > 0) {
                    return true;
                }
                int n = in.read(buf);
                if (n <= 0) {
                    return false;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (checkStatus && seen.length() >= 12 && seen.indexOf("HTTP/1.1 200") != 0) {
                    return false;
                }
            }
        }
    }
}
