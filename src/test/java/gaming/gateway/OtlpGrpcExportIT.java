package gaming.gateway;

import gaming.testing.GatewayFixture;
import gaming.testing.OtlpReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/**
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}: the spans of a request arrive over OTLP/gRPC at a
 * receiver inside the test, as {@link OtlpExportIT} checks them over OTLP/HTTP.
 */
class OtlpGrpcExportIT {
    private static final OtlpReceiver receiver = OtlpReceiver.startGrpc();

    @RegisterExtension
    static final GatewayFixture fx = GatewayFixture.of(Map.of(
            "gateway.tracing.otel.exporter.otlp.protocol", "grpc",
            "gateway.tracing.otel.exporter.otlp.endpoint", receiver.tracesEndpoint(),
            "gateway.tracing.otel.bsp.schedule.delay", "50"));

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aRequestIsAServerSpanWithItsNatsClientSpanAsChild() throws Exception {
        OtlpExportIT.assertRequestTraced(fx, receiver, "application/grpc");
    }
}
