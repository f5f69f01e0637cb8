package gaming.gateway.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

import java.util.function.Supplier;

/**
 * The SDK's random ids, except that a root span started by {@link #startingWith} gets the trace id
 * asked for: a client that sends an {@code X-Trace-ID} of 32 hex digits (say, one the gateway
 * answered before) and no {@code traceparent} gets a trace with that id, as the gateway's
 * {@code traceparent} continued it before spans were exported.
 */
final class RequestedTraceIds implements IdGenerator {
    private static final IdGenerator RANDOM = IdGenerator.random();
    private static final ThreadLocal<String> REQUESTED = new ThreadLocal<>();

    /** Runs {@code start} with {@code traceId} as the trace id of a root span it starts on this thread. */
    static <T> T startingWith(String traceId, Supplier<T> start) {
        REQUESTED.set(traceId);
        try {
            return start.get();
        } finally {
            REQUESTED.remove();
        }
    }

    @Override
    public String generateSpanId() {
        return RANDOM.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String requested = REQUESTED.get();
        return requested != null ? requested : RANDOM.generateTraceId();
    }
}
