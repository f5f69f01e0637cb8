package gaming.gateway.compress;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Sends a JSON body gzip-encoded when it is at least {@code min-bytes} long and the request's
 * {@code Accept-Encoding} (RFC 9110 section 12.5.3) accepts {@code gzip}; such a body gets
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

    /** Sends {@code body} on {@code res}, gzip-encoded when it is large enough and the client accepts gzip. */
    public void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (body.length < minBytes) {
            res.send(body);
            return;
        }
        res.header(VARY);
        if (!acceptsGzip(req.headers().first(HeaderNames.ACCEPT_ENCODING).orElse(null))) {
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

    /**
     * Whether an {@code Accept-Encoding} value accepts gzip: {@code gzip} (or {@code x-gzip})
     * with a q-value above 0, or, without either, {@code *} with a q-value above 0. Null or empty: no.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return false;
        }
        Boolean gzip = null;
        boolean any = false;
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            boolean acceptable = qAboveZero(params);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = gzip == null ? acceptable : gzip || acceptable;
            } else if (coding.equals("*")) {
                any = acceptable;
            }
        }
        return gzip != null ? gzip : any;
    }

    private static boolean qAboveZero(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).strip()) > 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
