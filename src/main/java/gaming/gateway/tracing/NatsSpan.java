package gaming.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The client span of one NATS request or stream ({@link Tracing#startNats}), a child of the
 * request's server span: its {@link #traceparent()} is what the service receives, so the service's
 * own spans join the trace under it. {@link #NONE} when tracing is off. Used by the request's
 * thread only; {@link #end()} is idempotent.
 */
public final class NatsSpan {
    /** The span of every NATS call while tracing is off: no traceparent, nothing recorded. */
    public static final NatsSpan NONE = new NatsSpan(null);

    static final AttributeKey<Long> CHUNKS = AttributeKey.longKey("gateway.stream.chunks");

    private final Span span;
    private long chunks = -1;
    private boolean ended;

    NatsSpan(Span span) {
        this.span = span;
    }

    /**
     * The {@code traceparent} naming this span, to send as the NATS header; null for {@link #NONE}
     * (then the request's own trace context goes).
     */
    public String traceparent() {
        return span == null ? null : Spans.traceparent(span.getSpanContext());
    }

    /** The call failed with the gateway's error {@code code}: an error span. */
    public void failed(String code) {
        if (span != null && span.isRecording()) {
            span.setAttribute(Spans.ERROR_CODE, code);
            span.setAttribute(Spans.ERROR_TYPE, code);
            span.setStatus(StatusCode.ERROR, code);
        }
    }

    /** One chunk of a stream was received. */
    public void chunk() {
        chunks = chunks < 0 ? 1 : chunks + 1;
    }

    /** Ends the span (a stream's: with the number of chunks received); only the first call counts. */
    public void end() {
        if (span == null || ended) {
            return;
        }
        ended = true;
        if (chunks >= 0) {
            span.setAttribute(CHUNKS, chunks);
        }
        span.end();
    }
}
