package gaming.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rewrites the bytes a client sends on one connection so that Helidon 4.5.0, which speaks
 * HTTP/1.1 only (helidon-io/helidon#9648), serves HTTP/1.0 requests: each is handed on as HTTP/1.1
 * with {@code Connection: close} (a client's {@code Connection} field removed), a {@code Host} if
 * it had none, and {@link #HTTP_1_0_MARKER}; Helidon answers as HTTP/1.1, which RFC 9110 §6.2 has a
 * server do for any 1.x request. And so that Helidon can read
 * chunked request bodies that use what RFC 9112 §7.1 allows and Helidon rejects: a chunk
 * extension ({@code 2;name=value}, dropped: "a recipient MUST ignore unrecognized chunk
 * extensions") and a trailer section after the last chunk (dropped: §7.1.2 lets a recipient
 * discard trailer fields it does not understand). Helidon parses the whole chunk-size line as hex
 * and wants the empty line right after {@code 0} (no upstream fix up to 4.5.0; compare
 * helidon-io/helidon#8218 on chunk-size validation).
 *
 * <p>It follows the framing as Helidon does, one request after another: the header section
 * passes unchanged (but for the above), a request with a {@code Transfer-Encoding} field has a chunked body, else one
 * with {@code Content-Length} has that many bytes, else none. Anything it cannot follow (a header
 * section over {@link #MAX_HEAD_BYTES}, a chunk-size line over {@link #MAX_LINE_BYTES}, a chunk size
 * that is not hex, a {@code Content-Length} that is not a number) ends the rewriting: from there on
 * the bytes pass unchanged, and Helidon rejects the request and closes the connection as before.
 * Not thread-safe: one instance per connection, fed in order. On the hot path (a request whose
 * head arrives in one read) it scans the head once without allocating, and copies the bytes once.
 */
final class ChunkFraming {
    /** Longest header section followed (Helidon answers 431 long before). */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Longest chunk-size or trailer line followed. */
    static final int MAX_LINE_BYTES = 4096;

    /**
     * The header field the gateway adds to an HTTP/1.0 request it hands to Helidon as HTTP/1.1
     * (a client's own is removed), so that it is not answered with a stream.
     */
    static final String HTTP_1_0_MARKER = "Gateway-Request-Version";

    private static final byte[] MARKER = ascii("gateway-request-version");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] HOST = ascii("host");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] HTTP_1_0 = ascii(" HTTP/1.0");
    private static final byte[] HTTP_1_0_EXTRA = ascii("Connection: close\r\n" + HTTP_1_0_MARKER + ": HTTP/1.0\r\n");
    private static final byte[] HOST_EXTRA = ascii("Host: localhost\r\n");
    private static final byte[] CRLF_BYTES = ascii("\r\n");
    private static final int CRLF_CRLF = '\r' << 24 | '\n' << 16 | '\r' << 8 | '\n';
    private static final int CRLF = '\r' << 8 | '\n';

    private enum State { HEAD, CHUNK_LINE, CHUNK_DATA, TRAILER, PASS }

    /** The header section read so far, or the current chunk-size or trailer line. */
    private final Bytes line = new Bytes(256);
    private final Bytes out = new Bytes(1024);
    private State state = State.HEAD;
    /** What follows the current run of passed bytes: the next chunk line, or the next request. */
    private State bodyState = State.HEAD;
    /** Bytes of the current body or chunk (with its CRLF) still to pass. */
    private long left;
    /** The last four bytes of the header section, to find its end. */
    private int lastFour;

    /** The bytes to hand to Helidon for {@code in}, the next bytes from the client (may be empty). */
    /** Whether the next byte fed starts a request's head (nothing of it read yet). */
    boolean atHeadStart() {
        return state == State.HEAD && line.length == 0;
    }

    byte[] rewrite(byte[] in) {
        if (state == State.PASS) {
            return in;
        }
        out.clear();
        int i = 0;
        while (i < in.length) {
            switch (state) {
                case PASS -> {
                    out.append(in, i, in.length - i);
                    i = in.length;
                }
                case HEAD -> i = head(in, i);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(left, in.length - i);
                    out.append(in, i, n);
                    i += n;
                    left -= n;
                    if (left == 0) {
                        state = bodyState;
                    }
                }
                case CHUNK_LINE, TRAILER -> i = chunkLine(in, i);
                default -> throw new IllegalStateException(state.name());
            }
        }
        return out.toArray();
    }

    private int head(byte[] in, int i) {
        int start = i;
        boolean end = false;
        while (i < in.length && !end) {
            byte b = in[i++];
            lastFour = lastFour << 8 | (b & 0xff);
            // the end of the header section (or an empty line before a request line: nothing to follow)
            end = b == '\n' && (lastFour == CRLF_CRLF || line.length + i - start == 2 && lastFour == CRLF);
        }
        line.append(in, start, i - start);
        if (line.length > MAX_HEAD_BYTES) {
            out.append(line.buffer, 0, line.length);
            line.clear();
            state = State.PASS;
        } else if (end) {
            startBody(line.buffer, line.length);
            line.clear();
            lastFour = 0;
        }
        return i;
    }

    /**
     * Sets the state for the body of the request whose header section is {@code head[0, n)}, and
     * hands the header section on: without {@link #HTTP_1_0_MARKER} fields the client sent, and for
     * an HTTP/1.0 request as HTTP/1.1 with {@code Connection: close}, a {@code Host} if it had none,
     * and {@link #HTTP_1_0_MARKER}.
     */
    private void startBody(byte[] head, int n) {
        int requestLineEnd = indexOf(head, 0, n, (byte) '\n') - 1;   // at its CR
        if (requestLineEnd < 1) {
            out.append(head, 0, n);
            state = State.HEAD;
            return;
        }
        boolean http10 = regionEquals(head, requestLineEnd - HTTP_1_0.length, requestLineEnd, HTTP_1_0, false);
        boolean chunked = false;
        boolean host = false;
        long contentLength = -1;
        boolean badLength = false;
        int written = 0;   // head[0, written) is in out, or (http10) to be written with the new version
        if (http10) {
            out.append(head, 0, requestLineEnd - 3).append(ascii("1.1"));
            written = requestLineEnd;
        }
        int p = requestLineEnd + 2;
        while (p < n) {
            int lf = indexOf(head, p, n, (byte) '\n');
            if (lf < 0 || lf - 1 <= p) {
                break;   // the blank line that ends the section
            }
            int colon = indexOf(head, p, lf, (byte) ':');
            if (colon > p) {
                if (regionEquals(head, p, colon, TRANSFER_ENCODING, true)) {
                    chunked = true;
                } else if (regionEquals(head, p, colon, CONTENT_LENGTH, true)) {
                    contentLength = parseDecimal(head, colon + 1, lf - 1);
                    badLength = contentLength < 0;
                } else if (regionEquals(head, p, colon, HOST, true)) {
                    host = true;
                } else if (regionEquals(head, p, colon, MARKER, true)
                        || http10 && regionEquals(head, p, colon, CONNECTION, true)) {
                    out.append(head, written, p - written);   // the field is left out
                    written = lf + 1;
                }
            }
            p = lf + 1;
        }
        if (http10) {
            int end = n - 2;   // before the blank line
            out.append(head, written, end - written).append(HTTP_1_0_EXTRA);
            if (!host) {
                out.append(HOST_EXTRA);
            }
            out.append(CRLF_BYTES);
        } else {
            out.append(head, written, n - written);
        }
        if (chunked) {
            state = State.CHUNK_LINE;
        } else if (badLength) {
            state = State.PASS;
        } else if (contentLength > 0) {
            left = contentLength;
            state = State.CHUNK_DATA;
            bodyState = State.HEAD;
        } else {
            state = State.HEAD;
        }
    }

    private int chunkLine(byte[] in, int i) {
        int start = i;
        int lf = indexOf(in, i, in.length, (byte) '\n');
        int end = lf < 0 ? in.length : lf + 1;
        line.append(in, start, end - start);
        if (line.length > MAX_LINE_BYTES) {
            out.append(line.buffer, 0, line.length);
            line.clear();
            state = State.PASS;
        } else if (lf >= 0) {
            if (state == State.TRAILER) {
                trailerLine();
            } else {
                sizeLine();
            }
            line.clear();
        }
        return end;
    }

    private void sizeLine() {
        int n = line.length;
        byte[] b = line.buffer;
        long size = -1;
        int hexStart = 0;
        int hexEnd = 0;
        if (n >= 2 && b[n - 2] == '\r') {
            int semicolon = indexOf(b, 0, n - 2, (byte) ';');
            hexEnd = semicolon < 0 ? n - 2 : semicolon;
            while (hexStart < hexEnd && isWhitespace(b[hexStart])) {
                hexStart++;
            }
            while (hexEnd > hexStart && isWhitespace(b[hexEnd - 1])) {
                hexEnd--;
            }
            size = parseHex(b, hexStart, hexEnd);
        }
        if (size < 0) {
            out.append(b, 0, n);
            state = State.PASS;
            return;
        }
        out.append(b, hexStart, hexEnd - hexStart).append(CRLF_BYTES);
        if (size == 0) {
            state = State.TRAILER;
        } else {
            left = size + 2;   // the data and its CRLF
            state = State.CHUNK_DATA;
            bodyState = State.CHUNK_LINE;
        }
    }

    private void trailerLine() {
        if (line.length == 2 && line.buffer[0] == '\r') {
            out.append(CRLF_BYTES);
            state = State.HEAD;
        }
        // a trailer field: dropped
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[from, to)} is {@code expected} (ASCII letters of {@code b} lower-cased when {@code ignoreCase}). */
    private static boolean regionEquals(byte[] b, int from, int to, byte[] expected, boolean ignoreCase) {
        if (from < 0 || to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            byte c = b[from + i];
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number in {@code b[from, to)} between optional whitespace, or -1. */
    private static long parseDecimal(byte[] b, int from, int to) {
        while (from < to && isWhitespace(b[from])) {
            from++;
        }
        while (to > from && isWhitespace(b[to - 1])) {
            to--;
        }
        if (from == to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /** The value of 1 to 15 hex digits in {@code b[from, to)}, or -1. */
    private static long parseHex(byte[] b, int from, int to) {
        if (from == to || to - from > 15) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(b[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte buffer without the locking of {@code ByteArrayOutputStream}. */
    private static final class Bytes {
        private byte[] buffer;
        private int length;

        Bytes(int capacity) {
            buffer = new byte[capacity];
        }

        Bytes append(byte[] b, int from, int n) {
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
            }
            System.arraycopy(b, from, buffer, length, n);
            length += n;
            return this;
        }

        Bytes append(byte[] b) {
            return append(b, 0, b.length);
        }

        void clear() {
            length = 0;
        }

        byte[] toArray() {
            return Arrays.copyOf(buffer, length);
        }
    }
}
