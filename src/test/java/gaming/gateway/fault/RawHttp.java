package gaming.gateway.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a raw socket, for requests {@code java.net.http} refuses to send or quietly
 * normalises: control characters and non-ASCII bytes in headers, odd request targets, lying
 * {@code Content-Length}s, hand-made chunked bodies. One request per connection
 * ({@code Connection: close} is added unless the head has it).
 */
final class RawHttp {
    /** A parsed response; {@code status} -1 when the server closed without answering. */
    record Response(int status, Map<String, String> headers, String body, long millis) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " " + body;
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and header lines, each ending in CRLF, without the blank
     * line) and {@code body}, then reads the response.
     *
     * @throws AssertionError when no complete response arrives within {@code timeoutMillis}
     */
    static Response exchange(int port, String head, byte[] body, int timeoutMillis) {
        return exchange(port, head.getBytes(StandardCharsets.ISO_8859_1), body, timeoutMillis);
    }

    /** The same with the head as raw bytes (for non-ASCII header bytes). */
    static Response exchange(int port, byte[] head, byte[] body, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            try {
                out.write(head);
                if (!text.contains("\r\nconnection:")) {
                    out.write("Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before taking the whole request (413, 414, 400): read what it said
            }
            return read(socket.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within " + timeoutMillis + " ms (the gateway hangs)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code head} as is (no {@code Connection} header added, no body), reads the response,
     * then sends {@code next} on the same connection and reads what follows it: a second response,
     * or status -1 when the server closed the connection instead.
     *
     * @return the two responses
     * @throws AssertionError when either does not come within {@code timeoutMillis}
     */
    static Response[] earlyResponseThenSend(int port, String head, byte[] next, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            Response first = read(in, start);
            try {
                out.write(next);
                out.flush();
            } catch (IOException closed) {
                // the server closed the connection: what follows is read as end of stream
            }
            return new Response[] {first, read(in, System.nanoTime())};
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within " + timeoutMillis + " ms (the gateway hangs)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        try {
            int b;
            while (!endsWithBlankLine(headBytes) && (b = in.read()) >= 0) {
                headBytes.write(b);
            }
        } catch (IOException reset) {
            // connection reset after a partial answer
        }
        String head = headBytes.toString(StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.")) {
            return new Response(-1, Map.of(), head, millis(start));
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        try {
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunked(in);
            } else {
                body = in.readAllBytes();
            }
        } catch (IOException reset) {
            body = new byte[0];
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8), millis(start));
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream bytes) {
        byte[] b = bytes.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
