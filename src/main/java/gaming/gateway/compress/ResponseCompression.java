package gaming.gateway.compress;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Sends a JSON body gzip-encoded when it is at least {@code min-bytes} long and the request's
 * {@code Accept-Encoding} (RFC 9110 section 12.5.3) prefers {@code gzip} ({@link AcceptEncoding}:
 * members that are not valid are ignored, and no value is an error); such a body gets
 * {@code Vary: Accept-Encoding} either way, since its encoding depends on that header. Used only
 * for whole bodies: never for {@code text/event-stream}, where compression would hold tokens back.
 * Immutable; safe to share between threads.
 */
public final class ResponseCompression {
    private static final Header VARY = HeaderValues.create(HeaderNames.VARY, "Accept-Encoding");
    private static final Header GZIP = HeaderValues.create(HeaderNames.CONTENT_ENCODING, "gzip");

    private final int minBytes;
    private final int level;

    private ResponseCompression(CompressionSettings settings) {
        this.minBytes = settings.minBytes();
        this.level = settings.level();
    }

    /** The compression of {@code settings}, or null when they turn it off (callers then send bodies as they are). */
    public static ResponseCompression create(CompressionSettings settings) {
        return settings.enabled() ? new ResponseCompression(settings) : null;
    }

    /** Sends {@code body} on {@code res}, gzip-encoded when it is large enough and the client prefers gzip. */
    public void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (body.length < minBytes) {
            res.send(body);
            return;
        }
        res.header(VARY);
        if (!AcceptEncoding.of(req.headers().all(HeaderNames.ACCEPT_ENCODING, List::of)).gzipPreferred()) {
            res.send(body);
            return;
        }
        res.header(GZIP);
        res.send(gzip(body, level));
    }

    /** gzip of {@code body} at deflate {@code level}. */
    static byte[] gzip(byte[] body, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
