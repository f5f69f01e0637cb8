package gaming.gateway.http;

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
 * a bad {@code Content-Length}, an unknown {@code Content-Encoding}, a URI or headers too long),
 * as problem+json like every other error.
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
        int code = status.code();
        boolean serverSide = code >= 500 && code != 505;
        String detail = serverSide || message == null || message.isBlank() ? status.reasonPhrase() : message;
        GatewayException error = GatewayException.fromHttpStatus(code, status.reasonPhrase(), detail);
        String traceId = TraceContext.randomHex(16);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .header(TraceContext.X_TRACE_ID, traceId)
                .keepAlive(eventType.keepAlive())
                .entity(Problem.body(error, traceId))
                .build();
    }
}
