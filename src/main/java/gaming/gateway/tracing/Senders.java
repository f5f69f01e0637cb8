package gaming.gateway.tracing;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's service loading, less OkHttp's HTTP sender: OTLP over {@code http/protobuf} is sent by
 * the JDK's {@code HttpClient} (opentelemetry-exporter-sender-jdk), over {@code grpc} by OkHttp
 * (opentelemetry-exporter-sender-okhttp, whose HTTP sender would otherwise be a second one, of
 * which the SDK takes an arbitrary one and logs a warning).
 */
final class Senders implements ComponentLoader {
    static final String OKHTTP_HTTP_SENDER = "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider";

    private final ComponentLoader all =
            ComponentLoader.forClassLoader(AutoConfiguredOpenTelemetrySdk.class.getClassLoader());

    private Senders() {
    }

    /** Typed as the SDK's interface, so that verifying a caller loads nothing of OpenTelemetry while tracing is off. */
    static ComponentLoader create() {
        return new Senders();
    }

    @Override
    public <T> Iterable<T> load(Class<T> spiClass) {
        Iterable<T> found = all.load(spiClass);
        if (spiClass != HttpSenderProvider.class) {
            return found;
        }
        List<T> kept = new ArrayList<>();
        for (T provider : found) {
            if (!provider.getClass().getName().equals(OKHTTP_HTTP_SENDER)) {
                kept.add(provider);
            }
        }
        return kept;
    }
}
