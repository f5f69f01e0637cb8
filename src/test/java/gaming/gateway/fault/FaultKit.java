package gaming.gateway.fault;

import gaming.gateway.Gateway;
import gaming.testing.TestGateway;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the fault tests share: gateways without the access log, reconnecting services, waits. */
final class FaultKit {
    private FaultKit() {
    }

    /** A gateway with the repo's route table and {@code overrides}, its access log off (the load would flood it). */
    static Gateway gateway(String natsUrl, Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.access-log.enabled", "false");
        keys.putAll(overrides);
        return TestGateway.start(natsUrl, keys);
    }

    /** A service connection that reconnects forever, quickly, as a real service would. */
    static Connection service(String natsUrl) throws IOException, InterruptedException {
        return Nats.connect(Options.builder()
                                    .server(natsUrl)
                                    .connectionName("fault-test-service")
                                    .maxReconnects(-1)
                                    .reconnectWait(Duration.ofMillis(200))
                                    .connectionTimeout(Duration.ofSeconds(2))
                                    .build());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
