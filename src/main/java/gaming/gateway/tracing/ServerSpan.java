package gaming.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadableSpan;

/**
 * The server span of one route request ({@link Tracing#startServer}), current on the request's
 * thread until {@link #end}: what {@link Spans} reads and what NATS client spans are children of.
 */
public final class ServerSpan {
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final Span span;
    private final Scope scope;

    ServerSpan(Span span) {
        this.span = span;
        this.scope = span.makeCurrent();
    }

    /**
     * Records the response {@code status}, ends the span and makes it no longer current; call on
     * the thread that started it. A 5xx is an error span, its {@code error.type} the gateway's error
     * code when one was noted ({@link Spans#failed}), else the status.
     */
    public void end(int status) {
        try {
            scope.close();
        } finally {
            if (span.isRecording()) {
                span.setAttribute(STATUS, status);
                if (status >= 500 && span instanceof ReadableSpan readable
                        && readable.getAttribute(Spans.ERROR_TYPE) == null) {
                    span.setAttribute(Spans.ERROR_TYPE, Integer.toString(status));
                    span.setStatus(StatusCode.ERROR);
                }
            }
            span.end();
        }
    }
}
