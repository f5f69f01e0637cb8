package gaming.gateway.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers for endpoints that serve GET and HEAD alike ({@code /health}, {@code /metrics}, the admin
 * port): to HEAD the status and header fields GET would have, its {@code Content-Length} included,
 * without the content (RFC 9110 section 9.3.2).
 */
public final class GetOrHead {
    /** Sent with an explicit Content-Length: Helidon turns a 200 from {@code send()} of nothing into a 204. */
    private static final byte[] NO_CONTENT = new byte[0];

    private GetOrHead() {
    }

    /** Sends {@code body}, or to a HEAD request only its length ({@link #sendHead}). */
    public static void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (req.prologue().method() == Method.HEAD) {
            sendHead(res, body.length);
            return;
        }
        res.send(body);
    }

    /** Ends a HEAD answer: {@code Content-Length: length} (bytes GET would send) and no content. */
    public static void sendHead(ServerResponse res, long length) {
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(length));
        res.send(NO_CONTENT);
    }
}
