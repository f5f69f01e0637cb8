package gaming.gateway.observe;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * {@code HEAD /metrics}: the status and header fields of {@code GET /metrics} (Prometheus text,
 * its {@code Content-Length}) without the content, as RFC 9110 §9.3.2 asks of HEAD wherever GET
 * works. Helidon's metrics observer serves GET only.
 */
public final class MetricsHead implements Handler {
    private final MeterRegistry registry;
    private final MeterRegistryFormatterProvider provider;
    private final MetricsConfig config;

    private MetricsHead(MeterRegistry registry, MeterRegistryFormatterProvider provider) {
        this.registry = registry;
        this.provider = provider;
        this.config = MetricsConfig.create();
    }

    /** The handler for the meters of {@code registry}, formatted as Helidon's observer does. */
    public static MetricsHead create(MeterRegistry registry) {
        MeterRegistryFormatterProvider provider = ServiceLoader.load(MeterRegistryFormatterProvider.class)
                .findFirst()
                .orElse(null);
        return new MetricsHead(registry, provider);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CACHE_NO_CACHE)
                .header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF)
                .header(HeaderNames.CONTENT_TYPE, MediaTypes.TEXT_PLAIN.text());
        Optional<MeterRegistryFormatter> formatter = provider == null
                ? Optional.empty()
                : provider.formatter(MediaTypes.TEXT_PLAIN, config, registry, config.scoping().tagName(),
                                     List.of(), List.of());
        GetOrHead.sendHead(res, formatter.flatMap(MeterRegistryFormatter::format)
                .map(text -> text.toString().getBytes(StandardCharsets.UTF_8).length)
                .orElse(0));
    }
}
