package gaming.gateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Rewrites the bytes a client sends on one HTTP/1.1 connection so that Helidon 4.5.0 can read
 * chunked request bodies that use what RFC 9112 §7.1 allows and Helidon rejects: a chunk
 * extension ({@code 2;name=value}, dropped: "a recipient MUST ignore unrecognized chunk
 * extensions") and a trailer section after the last chunk (dropped: §7.1.2 lets a recipient
 * discard trailer fields it does not understand). Helidon parses the whole chunk-size line as hex
 * and wants the empty line right after {@code 0} (no upstream fix up to 4.5.0; compare
 * helidon-io/helidon#8218 on chunk-size validation).
 *
 * <p>It follows the framing as Helidon does, one request after another: the header section
 * passes unchanged, a request with a {@code Transfer-Encoding} field has a chunked body, else one
 * with {@code Content-Length} has that many bytes, else none. Anything it cannot follow (a header
 * section over {@link #MAX_HEAD_BYTES}, a chunk-size line over {@link #MAX_LINE_BYTES}, a chunk size
 * that is not hex, a {@code Content-Length} that is not a number) ends the rewriting: from there on
 * the bytes pass unchanged, and Helidon rejects the request and closes the connection as before.
 * Not thread-safe: one instance per connection, fed in order.
 */
final class ChunkFraming {
    /** Longest header section followed (Helidon answers 431 long before). */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Longest chunk-size or trailer line followed. */
    static final int MAX_LINE_BYTES = 4096;

    private static final int CRLF_CRLF = '\r' << 24 | '\n' << 16 | '\r' << 8 | '\n';
    private static final int CRLF = '\r' << 8 | '\n';

    private enum State { HEAD, CHUNK_LINE, CHUNK_DATA, TRAILER, PASS }

    /** The header section read so far, or the current chunk-size or trailer line. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private State state = State.HEAD;
    /** What follows the current run of passed bytes: the next chunk line, or the next request. */
    private State bodyState = State.HEAD;
    /** Bytes of the current body or chunk (with its CRLF) still to pass. */
    private long left;
    /** The last four bytes of the header section, to find its end. */
    private int lastFour;

    /** The bytes to hand to Helidon for {@code in}, the next bytes from the client (may be empty). */
    byte[] rewrite(byte[] in) {
        if (state == State.PASS) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        int i = 0;
        while (i < in.length) {
            switch (state) {
                case PASS -> {
                    out.write(in, i, in.length - i);
                    i = in.length;
                }
                case HEAD -> i = head(in, i, out);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(left, in.length - i);
                    out.write(in, i, n);
                    i += n;
                    left -= n;
                    if (left == 0) {
                        state = bodyState;
                    }
                }
                case CHUNK_LINE, TRAILER -> i = chunkLine(in, i, out);
                default -> throw new IllegalStateException(state.name());
            }
        }
        return out.toByteArray();
    }

    private int head(byte[] in, int i, ByteArrayOutputStream out) {
        int start = i;
        while (i < in.length) {
            byte b = in[i++];
            line.write(b);
            lastFour = lastFour << 8 | (b & 0xff);
            if (b == '\n' && (lastFour == CRLF_CRLF || line.size() == 2 && lastFour == CRLF)) {
                // the end of the header section (or an empty line before a request line: nothing to follow)
                out.write(in, start, i - start);
                startBody(line.toString(StandardCharsets.ISO_8859_1));
                line.reset();
                lastFour = 0;
                return i;
            }
            if (line.size() > MAX_HEAD_BYTES) {
                out.write(in, start, i - start);
                state = State.PASS;
                return i;
            }
        }
        out.write(in, start, i - start);
        return i;
    }

    private void startBody(String head) {
        boolean chunked = false;
        String contentLength = null;
        String[] lines = head.split("\r\n");
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                contentLength = lines[k].substring(colon + 1).strip();
            }
        }
        if (chunked) {
            state = State.CHUNK_LINE;
            return;
        }
        if (contentLength == null || lines.length <= 1) {
            state = State.HEAD;
            return;
        }
        try {
            left = Long.parseLong(contentLength);
        } catch (NumberFormatException e) {
            state = State.PASS;
            return;
        }
        if (left < 0) {
            state = State.PASS;
        } else if (left == 0) {
            state = State.HEAD;
        } else {
            state = State.CHUNK_DATA;
            bodyState = State.HEAD;
        }
    }

    private int chunkLine(byte[] in, int i, ByteArrayOutputStream out) {
        while (i < in.length) {
            byte b = in[i++];
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (state == State.TRAILER) {
                    trailerLine(text, out);
                } else {
                    sizeLine(text, out);
                }
                return i;
            }
            if (line.size() > MAX_LINE_BYTES) {
                out.writeBytes(line.toByteArray());
                line.reset();
                state = State.PASS;
                return i;
            }
        }
        return i;
    }

    private void sizeLine(String text, ByteArrayOutputStream out) {
        String content = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : null;
        int semicolon = content == null ? -1 : content.indexOf(';');
        String hex = content == null ? "" : (semicolon >= 0 ? content.substring(0, semicolon) : content).strip();
        long size = parseHex(hex);
        if (size < 0) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            state = State.PASS;
            return;
        }
        out.writeBytes((hex + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (size == 0) {
            state = State.TRAILER;
        } else {
            left = size + 2;   // the data and its CRLF
            state = State.CHUNK_DATA;
            bodyState = State.CHUNK_LINE;
        }
    }

    private void trailerLine(String text, ByteArrayOutputStream out) {
        if (text.equals("\r\n")) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            state = State.HEAD;
        }
        // a trailer field: dropped
    }

    /** The value of 1 to 16 hex digits, or -1. */
    private static long parseHex(String hex) {
        if (hex.isEmpty() || hex.length() > 15) {
            return -1;
        }
        long value = 0;
        for (int k = 0; k < hex.length(); k++) {
            int digit = Character.digit(hex.charAt(k), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
