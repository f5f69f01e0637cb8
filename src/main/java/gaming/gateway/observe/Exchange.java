package gaming.gateway.observe;

import gaming.gateway.error.GatewayException;
import gaming.gateway.tracing.Spans;

import java.util.Locale;

/**
 * What the gateway observed of one request, filled in as the request goes along and recorded
 * once by {@link #end}: meters and the access log line. One per request, used by its thread only.
 * The request id, the error code and how a stream ended are also noted on the request's server
 * span while tracing is on ({@link Spans}).
 */
public final class Exchange {
    private final RouteMetrics route;
    private final long start;
    private int status = 200;
    private String errorCode;
    private String traceId = "";
    private String requestId = "";
    private long bytesIn = -1;
    private long natsNanos = -1;
    private long firstEventNanos = -1;
    private int chunks;
    private StreamEnd streamEnd;
    private boolean ended;

    Exchange(RouteMetrics route, long start) {
        this.route = route;
        this.start = start;
    }

    /** The request's trace id and the request id the gateway gave it. */
    public void ids(String traceId, String requestId) {
        this.traceId = traceId;
        this.requestId = requestId;
        Spans.attribute(Spans.REQUEST_ID, requestId);
    }

    /** Just the trace id (known before the request id). */
    public void traceId(String traceId) {
        this.traceId = traceId;
    }

    /** Size of the request body as read. */
    public void bytesIn(long bytes) {
        this.bytesIn = bytes;
    }

    /** Whether the request body has been read ({@link #bytesIn(long)}). */
    public boolean bodyRead() {
        return bytesIn >= 0;
    }

    /** Time of the NATS leg: request to reply, or to a stream's first chunk. */
    public void natsNanos(long nanos) {
        this.natsNanos = nanos;
    }

    /** The first SSE event is being written now. */
    public void firstEvent() {
        if (firstEventNanos < 0) {
            firstEventNanos = System.nanoTime() - start;
        }
    }

    /** One chunk relayed as an SSE event. */
    public void chunk() {
        chunks++;
    }

    /** The stream ended, for {@code reason}. */
    public void streamEnded(StreamEnd reason) {
        this.streamEnd = reason;
        Spans.attribute(Spans.STREAM_END, reason.name().toLowerCase(Locale.ROOT));
    }

    /** The request failed with {@code error} (written as problem+json). */
    public void failed(GatewayException error) {
        failed(error.status(), error.code());
    }

    /** The request failed with {@code status} and error {@code code}. */
    public void failed(int status, String code) {
        this.status = status;
        this.errorCode = code;
        Spans.failed(status, code);
    }

    /**
     * Records the request: meters, then the access log line. Only the first call counts.
     *
     * @param bytesOut  bytes written for the response
     * @param declaredIn the request's {@code Content-Length} when the body was not read, else -1
     */
    public void end(long bytesOut, long declaredIn) {
        if (ended) {
            return;
        }
        ended = true;
        long duration = System.nanoTime() - start;
        if (bytesIn < 0) {
            bytesIn = Math.max(0, declaredIn);
        }
        try {
            route.record(this, duration);
            AccessLog log = route.accessLog();
            if (log.enabled()) {
                log.log(route.route(), this, duration, bytesOut);
            }
        } finally {
            route.done();
        }
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    String traceIdValue() {
        return traceId;
    }

    String requestId() {
        return requestId;
    }

    long bytesIn() {
        return bytesIn;
    }

    long natsNanos() {
        return natsNanos;
    }

    long firstEventNanos() {
        return firstEventNanos;
    }

    int chunks() {
        return chunks;
    }

    StreamEnd streamEnd() {
        return streamEnd;
    }
}
