package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a JSON request body up to a limit: 413 when {@code Content-Length} says more, or when a
 * chunked body goes past it (without reading the rest into memory); 415 for a content type that
 * is not JSON. A request without {@code Content-Type} is taken as JSON.
 */
public final class RequestBody {
    private static final byte[] EMPTY = new byte[0];

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
        if (declared > maxBytes) {
            throw GatewayException.payloadTooLarge(maxBytes);
        }
        // not closed when the body is too large: closing would read the rest of it; the 413 goes
        // out with Connection: close instead
        InputStream in = req.content().inputStream();
        try {
            byte[] body = declared >= 0 ? in.readNBytes((int) declared) : readAtMost(in);
            in.close();
            return body;
        } catch (GatewayException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // e.g. a chunk size that is not hex: Helidon fails while decoding the body
            throw GatewayException.invalidArgument("malformed request body: " + e.getClass().getSimpleName());
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

    private static void checkContentType(ServerRequest req) {
        HttpMediaType type;
        try {
            type = req.headers().contentType().orElse(null);
        } catch (RuntimeException e) {
            throw GatewayException.malformedContentType();
        }
        if (type == null) {
            return;
        }
        String subtype = type.mediaType().subtype();
        boolean json = type.mediaType().type().equals(MediaTypes.APPLICATION_JSON.type())
                && (subtype.equals("json") || subtype.endsWith("+json"));
        if (!json) {
            throw GatewayException.unsupportedMediaType(type.mediaType().text());
        }
    }
}
