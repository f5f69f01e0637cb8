package gaming.gateway.http;

import gaming.gateway.error.ErrorCode;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.Problem;
import gaming.gateway.observe.Exchange;
import gaming.gateway.transcode.TraceContext;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * Maps every failure on the request path to one problem+json response, in one place: registered
 * on the routing with {@code routing.error(...)}.
 */
public final class ErrorHandlers {
    private static final System.Logger LOGGER = System.getLogger(ErrorHandlers.class.getName());

    private ErrorHandlers() {
    }

    /** Registers the handlers on {@code routing}. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(GatewayException.class, ErrorHandlers::send)
                .error(HttpException.class, (req, res, e) -> send(req, res, fromHttp(e)))
                .error(RuntimeException.class, (req, res, e) -> {
                    LOGGER.log(Level.ERROR, "unexpected failure on " + req.path().path(), e);
                    send(req, res, GatewayException.internal("unexpected gateway failure"));
                });
    }

    /**
     * Turns a request away with {@code error} before any work on it (no route, a method other than
     * POST, a route's cap reached) and records it in {@code x}: trace id, status, sizes.
     */
    public static void reject(ServerRequest req, ServerResponse res, Exchange x, GatewayException error) {
        String traceId = TraceContext.traceIdOf(req.headers());
        res.header(TraceContext.X_TRACE_ID, traceId);
        x.traceId(traceId);
        x.failed(error);
        try {
            send(req, res, error);
        } finally {
            x.end(res.bytesWritten(), req.headers().contentLength().orElse(-1));
        }
    }

    /**
     * 405 with {@code Allow: GET, HEAD}, for a method other than those on an endpoint that serves
     * GET (and HEAD, as RFC 9110 §9.3.2 asks wherever GET works): {@code /health}, {@code /metrics},
     * the admin port's {@code /admin/migration} and console.
     */
    public static void getOrHeadOnly(ServerRequest req, ServerResponse res) {
        methodNotAllowed(req, res, Method.GET, Method.HEAD);
    }

    /**
     * 405 {@code METHOD_NOT_ALLOWED} with {@code Allow} listing {@code allowed} (RFC 9110 §15.5.6,
     * §10.2.1), for a method other than those a path serves; registered as
     * {@code .any(path, ...)} after the path's own routes.
     *
     * @param allowed the methods the path serves, in the order {@code Allow} lists them
     */
    public static void methodNotAllowed(ServerRequest req, ServerResponse res, Method... allowed) {
        String[] names = new String[allowed.length];
        for (int i = 0; i < allowed.length; i++) {
            names[i] = allowed[i].text();
        }
        String last = names[names.length - 1];
        String words = names.length == 1 ? last
                : String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + last;
        res.header(HeaderNames.ALLOW, String.join(", ", names));
        send(req, res, GatewayException.methodNotAllowed(req.prologue().method().text(), words));
    }

    /** Writes {@code error} as the response, unless the response has already been sent. */
    public static void send(ServerRequest req, ServerResponse res, GatewayException error) {
        if (res.isSent()) {
            return;
        }
        String traceId = res.headers().first(TraceContext.X_TRACE_ID)
                .orElseGet(() -> TraceContext.traceIdOf(req.headers()));
        res.header(TraceContext.X_TRACE_ID, traceId);
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (error.status() == 413 || unreadBodyMayFollow(req)) {
            // the rest of the body is not read: the connection cannot carry another request
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        if (error.status() == 405 && !res.headers().contains(HeaderNames.ALLOW)) {
            res.header(HeaderNames.ALLOW, "POST");
        }
        if (error.status() == 401) {
            // RFC 9110 15.5.2: every 401 names a scheme, also one mapped from a service's UNAUTHENTICATED
            res.header(HeaderNames.WWW_AUTHENTICATE,
                       error.challenge() != null ? error.challenge() : GatewayException.BEARER_CHALLENGE);
        }
        if ((error.status() == 503 || error.status() == 429) && !res.headers().contains(HeaderNames.RETRY_AFTER)) {
            // a rate limit sets its own
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        res.send(Problem.body(error, traceId));
    }

    /**
     * Whether the client may still send a body nobody has read, so that a response now must close
     * the connection (RFC 9110 §10.1.1): the request announced one with {@code Expect: 100-continue}
     * and no {@code 100 Continue} has been sent.
     */
    public static boolean unreadBodyMayFollow(ServerRequest req) {
        return req.content().hasEntity() && !req.content().consumed()
                && req.headers().containsToken(HeaderValues.EXPECT_100) && !req.continueSent();
    }

    /**
     * The problem for an {@link HttpException} Helidon raised: its status, the code
     * {@link ErrorCode#forHttpStatus}, the code's title when the code is that status' own (404, 405,
     * 413, 415), else the status' reason phrase.
     */
    public static GatewayException fromHttp(HttpException e) {
        int status = e.status().code();
        ErrorCode code = ErrorCode.forHttpStatus(status);
        String title = code.status() == status ? code.title() : e.status().reasonPhrase();
        return GatewayException.fromHttpStatus(status, title, e.getMessage());
    }
}
