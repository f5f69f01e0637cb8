package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a JSON request body up to a limit: 413 when {@code Content-Length} says more, or when a
 * chunked body goes past it (without reading the rest into memory; up to {@link #SWALLOW_BYTES}
 * more are read and dropped, beyond that, or after {@code Expect: 100-continue}, the connection is
 * closed); 415 for a content type that is not JSON in UTF-8 (RFC 9110 §8.3.1, {@link MediaType}).
 * A request without {@code Content-Type} is taken as JSON.
 */
public final class RequestBody {
    private static final byte[] EMPTY = new byte[0];
    /** The most of a too-large body read and dropped after a 413 (as Tomcat's maxSwallowSize, 2 MiB). */
    static final long SWALLOW_BYTES = 2L * 1024 * 1024;

    private final long maxBytes;

    public RequestBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public byte[] read(ServerRequest req) {
        checkContentType(req);
        if (!req.content().hasEntity()) {
            return EMPTY;
        }
        long declared = req.headers().contentLength().orElse(-1);
        boolean expectsContinue = req.headers().containsToken(HeaderValues.EXPECT_100);
        if (declared > maxBytes && (expectsContinue || declared > maxBytes + SWALLOW_BYTES)) {
            // not read: the 413 goes out with Connection: close and the connection is closed
            throw GatewayException.payloadTooLarge(maxBytes);
        }
        InputStream in = req.content().inputStream();
        try {
            if (declared > maxBytes) {
                swallow(in);
                throw GatewayException.payloadTooLarge(maxBytes);
            }
            byte[] body = declared >= 0 ? in.readNBytes((int) declared) : readAtMost(in);
            in.close();
            return body;
        } catch (GatewayException e) {
            if (e.status() == 413 && declared < 0 && !expectsContinue) {
                swallow(in);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // Helidon fails while decoding a chunked body (chunk extensions and trailers are taken
            // out before it reads them: http/ChunkFraming)
            throw GatewayException.invalidArgument(declared >= 0
                    ? "malformed request body"
                    : "malformed chunked body: a chunk size must be hex digits only");
        }
    }

    /**
     * Reads and drops up to {@link #SWALLOW_BYTES} more of a body that is too large, so that a
     * client sending a little too much still reads the 413: a connection closed with unread bytes
     * is reset, and a reset can destroy the response before the client reads it. A longer body
     * stays unread and its connection is closed.
     */
    private static void swallow(InputStream in) {
        try {
            byte[] buffer = new byte[8192];
            long left = SWALLOW_BYTES;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    in.close();
                    return;
                }
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the connection is closed after the 413 either way
        }
    }

    private byte[] readAtMost(InputStream in) throws IOException {
        int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        byte[] buffer = new byte[Math.min(limit + 1, 8192)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(2L * length, limit + 1L));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += n;
            if (length > limit) {
                throw GatewayException.payloadTooLarge(maxBytes);
            }
        }
    }

    /** RFC 9110 §8.3.1 through {@link MediaType}: {@code APPLICATION/JSON ; charset="UTF-8"} is JSON. */
    private static void checkContentType(ServerRequest req) {
        List<String> values = req.headers().all(HeaderNames.CONTENT_TYPE, List::of);
        if (values.isEmpty()) {
            return;
        }
        MediaType type;
        try {
            if (values.size() > 1) {
                throw new IllegalArgumentException("more than one Content-Type");
            }
            type = MediaType.parse(values.getFirst());
        } catch (IllegalArgumentException e) {
            throw GatewayException.malformedContentType();
        }
        if (!type.isJsonUtf8()) {
            throw GatewayException.unsupportedMediaType(type.parameters().containsKey("charset")
                                                                ? type.essence() + "; charset=" + type.parameters().get("charset")
                                                                : type.essence());
        }
    }
}
