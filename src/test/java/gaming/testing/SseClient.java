package gaming.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a raw socket that parses a Server-Sent Event stream field by field (so a
 * test can also stop reading, or close the connection, whenever it likes).
 */
public final class SseClient implements AutoCloseable {
    /** One event: {@code id}, {@code event} name, {@code data} (lines joined by \n), and comments. */
    public record Event(String id, String name, String data, List<String> comments) {
        public boolean isError() {
            return "error".equals(name);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final boolean chunked;
    private int chunkLeft;
    private boolean ended;

    private SseClient(Socket socket, InputStream in, int status, Map<String, String> headers) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.chunked = "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""));
    }

    /** POSTs {@code json} to {@code path} with {@code Accept: text/event-stream} and reads the response head. */
    public static SseClient post(int port, String path, String json, String... extraHeaders) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append("POST ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Accept: text/event-stream\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            for (int i = 0; i < extraHeaders.length; i += 2) {
                head.append(extraHeaders[i]).append(": ").append(extraHeaders[i + 1]).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 512);
            String statusLine = readLine(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new SseClient(socket, in, status, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int status() {
        return status;
    }

    /** A response header, by lower-case name. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The whole body, for a response that is not a stream. */
    public String body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        try {
            if (headers.containsKey("content-length")) {
                int n = Integer.parseInt(headers.get("content-length"));
                out.write(in.readNBytes(n));
            } else {
                while ((b = bodyByte()) >= 0) {
                    out.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The next event, or null at the end of the stream. Comment-only blocks are returned as events with no data. */
    public Event next() {
        String id = null;
        String name = null;
        List<String> data = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        boolean any = false;
        try {
            while (true) {
                String line = bodyLine();
                if (line == null) {
                    return any ? new Event(id, name, data.isEmpty() ? null : String.join("\n", data), comments) : null;
                }
                if (line.isEmpty()) {
                    if (any) {
                        return new Event(id, name, data.isEmpty() ? null : String.join("\n", data), comments);
                    }
                    continue;
                }
                any = true;
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "" -> comments.add(value);
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data.add(value);
                    default -> {
                        // retry and unknown fields are ignored, as browsers do
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every remaining event with data, until the stream ends. */
    public List<Event> rest() {
        List<Event> events = new ArrayList<>();
        for (Event e = next(); e != null; e = next()) {
            if (e.data() != null) {
                events.add(e);
            }
        }
        return events;
    }

    private String bodyLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            int b = in.read();
            ended = b < 0;
            return b;
        }
        if (chunkLeft == 0) {
            String size = readLine(in);
            if (size.isEmpty()) {
                size = readLine(in);
            }
            chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            ended = true;
            return -1;
        }
        chunkLeft--;
        if (chunkLeft == 0) {
            readLine(in);
            chunkLeft = 0;
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
