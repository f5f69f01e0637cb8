package gaming.gateway.http;

import gaming.gateway.error.ErrorCode;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.Problem;
import gaming.gateway.transcode.TraceContext;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors that Helidon answers itself, before any route runs (a malformed request line or header,
 * a bad {@code Content-Length}, a URI or headers too long), as problem+json like every
 * other error. A {@code Content-Encoding} on a body becomes 415 {@code UNSUPPORTED_CONTENT_ENCODING}
 * (RFC 9110 §15.5.16) instead of Helidon's bare 400; a transfer coding other than chunked stays
 * 501 as RFC 9112 §6.1 asks, with the code {@code UNSUPPORTED_TRANSFER_CODING}.
 */
public final class ProblemDirectHandler implements DirectHandler {
    private ProblemDirectHandler() {
    }

    /** This handler for every event type. */
    public static DirectHandlers handlers() {
        ProblemDirectHandler handler = new ProblemDirectHandler();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        GatewayException error = problem(request, status, message);
        String traceId = TraceContext.randomHex(16);
        TransportResponse.Builder response = TransportResponse.builder()
                .status(Status.create(error.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .header(TraceContext.X_TRACE_ID, traceId)
                .keepAlive(eventType.keepAlive())
                .entity(Problem.body(error, traceId));
        if (error.code().equals(ErrorCode.UNSUPPORTED_CONTENT_ENCODING.name())) {
            // RFC 9110 12.5.3: a 415 for a content coding says which codings are accepted
            response.header(HeaderNames.ACCEPT_ENCODING, "identity");
        }
        return response.build();
    }

    /** The problem for what Helidon rejected, in the gateway's words where Helidon's say little. */
    static GatewayException problem(TransportRequest request, Status status, String message) {
        int code = status.code();
        if (code == 400 && request.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            // Helidon 4.5.0 answers a body with a Content-Encoding it cannot decode with a bare 400
            return GatewayException.unsupportedContentEncoding(request.headers().get(HeaderNames.CONTENT_ENCODING).get());
        }
        if (code == 501) {
            // the only 501 Helidon raises: a transfer coding other than chunked (RFC 9112 6.1 asks for 501)
            return GatewayException.unsupportedTransferCoding();
        }
        boolean serverSide = code >= 500;
        String detail = serverSide || message == null || message.isBlank() ? status.reasonPhrase() : message;
        return GatewayException.fromHttpStatus(code, status.reasonPhrase(), detail);
    }
}
