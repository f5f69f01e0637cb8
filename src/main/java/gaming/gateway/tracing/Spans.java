package gaming.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;

/**
 * What the gateway reads of, and adds to, the span current on the request's thread: the server
 * span of a route request while tracing is on, else the invalid span (then every method here does
 * nothing and returns null). Until a tracing SDK is built, each method is one read of a static field.
 */
public final class Spans {
    /** The gateway's error code of a failed request ({@code error/ErrorCode}), e.g. {@code UPSTREAM_TIMEOUT}. */
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("gateway.error.code");
    /** OpenTelemetry's {@code error.type}: set to the gateway's error code when the span is an error. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** {@code Meta.request_id}, the id the gateway gave the request. */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gateway.request.id");
    /** {@code Meta.trace_id} when it is not the span's trace id (the client sent an {@code X-Trace-ID} that is not one). */
    public static final AttributeKey<String> CLIENT_TRACE_ID = AttributeKey.stringKey("gateway.trace.id");
    /** How a stream ended ({@code observe/StreamEnd}, lower case). */
    public static final AttributeKey<String> STREAM_END = AttributeKey.stringKey("gateway.stream.end");

    /**
     * Whether a tracing SDK was ever built in this JVM ({@link Tracing#create}); until then every
     * method here returns at once, without reading the thread's context.
     */
    private static volatile boolean built;

    private Spans() {
    }

    static void sdkBuilt() {
        built = true;
    }

    /**
     * The W3C {@code traceparent} of the current span ({@code 00-<trace id>-<span id>-<flags>}),
     * or null when no span is current (tracing off, or outside a route request).
     */
    public static String currentTraceparent() {
        if (!built) {
            return null;
        }
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? traceparent(context) : null;
    }

    static String traceparent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /**
     * The request failed with {@code status} and the gateway's error {@code code}: noted on the
     * current span, an error span when {@code status} is 5xx (for a server, 4xx is the client's
     * error, not the span's).
     */
    public static void failed(int status, String code) {
        if (!built) {
            return;
        }
        Span span = Span.current();
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(ERROR_CODE, code);
        if (status >= 500) {
            span.setAttribute(ERROR_TYPE, code);
            span.setStatus(StatusCode.ERROR, code);
        }
    }

    /** Sets {@code key} to {@code value} on the current span, if it records. */
    public static void attribute(AttributeKey<String> key, String value) {
        if (!built) {
            return;
        }
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(key, value);
        }
    }
}
