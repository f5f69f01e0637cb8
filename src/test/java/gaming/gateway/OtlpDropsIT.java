package gaming.gateway;

import ai.model.v1.ListModelsResponse;
import gaming.testing.Awaits;
import gaming.testing.GatewayFixture;
import gaming.testing.Metrics;
import gaming.testing.Responder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * With the OTLP receiver down (a closed port) and an export queue of one span, requests are still
 * answered, and the spans the queue has no room for are counted in
 * {@code gateway_tracing_spans_dropped_total}.
 */
class OtlpDropsIT {
    private static final String DROPPED = "gateway_tracing_spans_dropped_total";

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(
            "gateway.tracing.otel.exporter.otlp.endpoint", "http://127.0.0.1:" + closedPort(),
            "gateway.tracing.otel.bsp.max.queue.size", "1",
            "gateway.tracing.otel.bsp.max.export.batch.size", "1"));

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void requestsAreAnsweredAndDroppedSpansCounted() {
        Metrics before = Metrics.scrape(fx.http());
        assertThat(before.has(DROPPED), is(true));
        try (Responder svc = Responder.create(fx.service(), "svc.ai.model.v1.list",
                                              msg -> ListModelsResponse.newBuilder().setSelectedModelId("m").build()
                                                      .toByteArray())) {
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> res = fx.http().post("/ai/models", "{}");
                assertThat(res.statusCode(), is(200));
                assertThat(res.body(), is("{\"selected_model_id\":\"m\"}"));
            }
        }
        // two spans a request, one queue slot, an exporter retrying a refused connection: most are dropped
        Awaits.until(() -> Metrics.scrape(fx.http()).delta(before, DROPPED) > 0, Duration.ofSeconds(30),
                     "dropped spans to be counted");
        assertThat(Metrics.scrape(fx.http()).delta(before, DROPPED), greaterThan(0.0));
    }
}
