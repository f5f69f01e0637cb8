package gaming.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bench-responder}: answers every request on a subject with one fixed, realistic
 * {@code InferResponse}, from jnats dispatchers in a queue group, without parsing the request.
 *
 * <pre>--subject svc.ai.llm.v1.infer  --queue bench  --dispatchers 1  --empty (reply with 0 bytes)
 *      --text-bytes N (output_text of N characters: the story repeated, for compression)</pre>
 */
final class BenchResponder {
    private BenchResponder() {
    }

    static void run(String[] argv) throws Exception {
        Args args = new Args(argv);
        String subject = args.get("subject", "svc.ai.llm.v1.infer");
        String queue = args.get("queue", "bench");
        int dispatchers = args.getInt("dispatchers", 1);
        int textBytes = args.getInt("text-bytes", 0);
        byte[] reply = args.flag("empty") ? new byte[0]
                : textBytes > 0 ? BenchPayloads.inferResponse(textBytes) : BenchPayloads.inferResponse();

        Connection nc = Nats.connect(Options.builder()
                                             .server(Args.natsUrl())
                                             .connectionName("bench-responder")
                                             .maxReconnects(-1)
                                             .connectionTimeout(Duration.ofSeconds(5))
                                             .build());
        for (int i = 0; i < dispatchers; i++) {
            Dispatcher d = nc.createDispatcher(msg -> {
                if (msg.getReplyTo() != null) {
                    nc.publish(msg.getReplyTo(), reply);
                }
            });
            d.setPendingLimits(-1, -1);
            d.subscribe(subject, queue);
        }
        nc.flush(Duration.ofSeconds(5));
        System.out.println("bench-responder: " + dispatchers + " dispatcher(s) on " + subject + " queue " + queue
                                   + ", reply " + reply.length + " bytes, at " + Args.natsUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        new CountDownLatch(1).await();
    }
}
