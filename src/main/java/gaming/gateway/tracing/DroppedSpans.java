package gaming.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Counts the spans the SDK's batch span processor dropped because its queue was full, read from
 * the processor's own meter when asked (a pull reader in the SDK's meter provider: nothing is
 * exported). The processor reports drops as {@code processedSpans{dropped=true}} (the SDK's legacy
 * internal telemetry, its default) or as {@code otel.sdk.processor.span.processed} with an
 * {@code error.type} (with {@code OTEL_EXPERIMENTAL_SDK_TELEMETRY_VERSION=latest}); both are summed.
 */
final class DroppedSpans implements MetricReader {
    static final String LEGACY = "processedSpans";
    static final String SEMCONV = "otel.sdk.processor.span.processed";
    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private volatile CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** Spans dropped since start. */
    long count() {
        CollectionRegistration r = registration;
        if (r == null) {
            return 0;
        }
        long dropped = 0;
        for (MetricData metric : r.collectAllMetrics()) {
            if (metric.getType() != MetricDataType.LONG_SUM) {
                continue;
            }
            boolean legacy = metric.getName().equals(LEGACY);
            if (!legacy && !metric.getName().equals(SEMCONV)) {
                continue;
            }
            for (LongPointData point : metric.getLongSumData().getPoints()) {
                boolean drop = legacy
                        ? Boolean.TRUE.equals(point.getAttributes().get(DROPPED))
                        : point.getAttributes().get(ERROR_TYPE) != null;
                if (drop) {
                    dropped += point.getValue();
                }
            }
        }
        return dropped;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        registration = null;
        return CompletableResultCode.ofSuccess();
    }
}
