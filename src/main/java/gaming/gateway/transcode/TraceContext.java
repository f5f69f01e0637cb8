package gaming.gateway.transcode;

import gaming.gateway.tracing.Spans;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace ids: {@code X-Trace-ID} if the client sent one, else the trace id of a W3C
 * {@code traceparent}, else a new random one; and the {@code traceparent} passed on to services.
 * While tracing is on, a route request's server span is current ({@link Spans}): its trace id
 * stands in for the client's {@code traceparent} (which is the span's parent, so the trace id is
 * the same) or the random one, and its {@code traceparent} is the one passed on.
 */
public final class TraceContext {
    /** The gateway's trace id header, on every response. */
    public static final HeaderName X_TRACE_ID = HeaderNames.create("X-Trace-ID");
    /** W3C trace context. */
    public static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    /** W3C trace state, passed on beside a valid {@code traceparent}. */
    public static final HeaderName TRACESTATE = HeaderNames.create("tracestate");
    /** Longest {@code tracestate} passed on (W3C: 32 members of up to 256 characters; 512 is what propagators must keep). */
    public static final int MAX_TRACESTATE_LENGTH = 512;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Longest accepted {@code X-Trace-ID}. */
    public static final int MAX_TRACE_ID_LENGTH = 128;

    private TraceContext() {
    }

    /**
     * What a request carries of trace context, read from its headers once.
     *
     * @param traceId     see {@link #traceIdOf}
     * @param traceparent the current server span's while tracing is on; else the client's when
     *                    valid (passed on as it is), else a new one that continues {@code traceId}
     * @param tracestate  the client's, passed on only beside its valid {@code traceparent}, at most
     *                    {@link #MAX_TRACESTATE_LENGTH} printable ASCII characters; else null
     */
    public record Trace(String traceId, String traceparent, String tracestate) {
    }

    /** The trace context of a request, from its headers. */
    public static Trace of(Headers headers) {
        String parent = validTraceparent(headers);
        String traceId = traceId(headers, parent);
        String span = Spans.currentTraceparent();
        if (span != null) {
            return new Trace(traceId, span, parent == null ? null : tracestate(headers));
        }
        return parent == null
                ? new Trace(traceId, newTraceparent(traceId), null)
                : new Trace(traceId, parent, tracestate(headers));
    }

    /**
     * The trace id of a request. An {@code X-Trace-ID} that is empty, longer than 128 characters
     * or not printable ASCII is rejected with 400 by {@link MetaHeaders}; here it is just skipped.
     */
    public static String traceIdOf(Headers headers) {
        return traceId(headers, validTraceparent(headers));
    }

    private static String traceId(Headers headers, String validTraceparent) {
        String explicit = headers.first(X_TRACE_ID).orElse(null);
        if (explicit != null && isValidTraceId(explicit)) {
            return explicit;
        }
        if (validTraceparent != null) {
            return traceIdPart(validTraceparent);
        }
        String span = Spans.currentTraceparent();
        return span != null ? traceIdPart(span) : randomHex(16);
    }

    private static String validTraceparent(Headers headers) {
        String given = headers.first(TRACEPARENT).orElse(null);
        return given != null && isValidTraceparent(given) ? given : null;
    }

    /** The 32-hex trace id of a valid W3C {@code traceparent}, or null. */
    public static String traceIdFromTraceparent(String traceparent) {
        return traceparent != null && isValidTraceparent(traceparent) ? traceIdPart(traceparent) : null;
    }

    private static String traceIdPart(String validTraceparent) {
        return validTraceparent.substring(3, 35);   // 00-<trace id>-<parent id>-<flags>
    }

    /** Whether {@code value} is a valid version-00 {@code traceparent} with a non-zero trace id. */
    public static boolean isValidTraceparent(String value) {
        // 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>
        if (value.length() != 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return false;
        }
        return isLowerHex(value, 0, 2) && !value.startsWith("ff")
                && isLowerHex(value, 3, 35) && !allZero(value, 3, 35)
                && isLowerHex(value, 36, 52) && !allZero(value, 36, 52)
                && isLowerHex(value, 53, 55);
    }

    /** A new {@code traceparent} continuing {@code traceId} (if it is 32 hex) with a new span id. */
    public static String newTraceparent(String traceId) {
        String id = traceId.length() == 32 && isLowerHex(traceId, 0, 32) && !allZero(traceId, 0, 32)
                ? traceId : randomHex(16);
        return "00-" + id + "-" + randomHex(8) + "-01";
    }

    private static String tracestate(Headers headers) {
        String state = headers.first(TRACESTATE).orElse(null);
        return state == null || state.isEmpty() || state.length() > MAX_TRACESTATE_LENGTH
                || !MetaHeaders.isPrintableAscii(state) ? null : state;
    }

    static boolean isValidTraceId(String value) {
        return !value.isEmpty() && value.length() <= MAX_TRACE_ID_LENGTH && MetaHeaders.isPrintableAscii(value);
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String randomHex(int bytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[bytes * 2];
        for (int i = 0; i < bytes; i += 8) {
            long r = random.nextLong();
            for (int j = 0; j < 8 && i + j < bytes; j++) {
                int b = (int) (r >>> (j * 8)) & 0xFF;
                out[(i + j) * 2] = HEX[b >> 4];
                out[(i + j) * 2 + 1] = HEX[b & 0xF];
            }
        }
        return new String(out);
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
