package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.NatsServer;
import gaming.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's TCP connections (issue 12, items 1, 5 and 6): a request head must be complete
 * within the header-read timeout (slowloris), a connection with no request is closed after the
 * idle timeout, requests on connections beyond the cap get 503 and the connection closes, every
 * response with {@code Connection: close} closes its connection, and clients that hang up in the
 * middle of a head cost a count, not a WARNING with a stack trace.
 */
class ConnectionLimitsIT {
    private static final int MAX_OPEN = 20;
    private static NatsServer nats;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        nats = NatsServer.start();
        gateway = TestGateway.start(nats.url(), Map.of("gateway.connections.max-open", String.valueOf(MAX_OPEN),
                                                        "gateway.connections.header-read-timeout-seconds", "2",
                                                        "gateway.connections.idle-timeout-seconds", "3",
                                                        "gateway.access-log.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        nats.close();
    }

    @Test
    void slowRequestHeadsAreCutOffAfterTheHeaderReadTimeout() throws Exception {
        double before = metric("gateway_connections_header_timeouts_total");
        // three kinds: one header line per 500 ms for ever; a header line left unfinished; the blank line never sent
        List<Socket> slow = List.of(open("GET /health HTTP/1.1\r\nHost: x\r\n"),
                                    open("POST /quest/generate HTTP/1.1\r\nHost: x\r\nContent-Type: appl"),
                                    open("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n"));
        long start = System.nanoTime();
        Thread drip = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 40 && !slow.getFirst().isClosed(); i++) {
                try {
                    slow.getFirst().getOutputStream().write("X-Drip: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    Thread.sleep(500);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        for (Socket s : slow) {
            assertEquals("", readUntilClosed(s, 15_000), "closed without a response");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        drip.join();
        System.out.printf("3 slow request heads closed %d ms after they began (header-read timeout 2000 ms)%n", millis);
        assertTrue(millis >= 2000, "closed before the timeout: " + millis + " ms");
        assertEquals(3.0, metric("gateway_connections_header_timeouts_total") - before);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        Socket silent = open("");
        Socket afterRequest = open("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        String response = readResponse(afterRequest);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        long start = System.nanoTime();
        assertEquals("", readUntilClosed(silent, 15_000));
        assertEquals("", readUntilClosed(afterRequest, 15_000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("idle connections closed within %d ms (idle timeout 3000 ms)%n", millis);
    }

    @Test
    void requestsBeyondTheConnectionCapGet503AndTheirConnectionCloses() throws Exception {
        Awaits.until(() -> open() == 0.0 || open() <= 1, Duration.ofSeconds(10), "other tests' connections to close");
        double base = open();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_OPEN + 5; i++) {
                sockets.add(open(""));
            }
            Awaits.until(() -> open() == base + MAX_OPEN + 5, Duration.ofSeconds(10), "the connections to be counted");
            Map<String, Integer> statuses = new TreeMap<>();
            int closed = 0;
            for (Socket s : sockets) {
                s.getOutputStream().write("GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String response = readResponse(s);
                statuses.merge(response.substring(0, 12), 1, Integer::sum);
                if (response.startsWith("HTTP/1.1 503")) {
                    assertTrue(response.contains("\"code\":\"OVERLOADED\""), response);
                    assertTrue(response.toLowerCase().contains("connection: close"), response);
                    assertEquals("", readUntilClosed(s, 5000), "closed after the 503");
                    closed++;
                }
            }
            int served = (int) (MAX_OPEN - base);
            assertEquals(Map.of("HTTP/1.1 404", served, "HTTP/1.1 503", MAX_OPEN + 5 - served), statuses);
            assertEquals(MAX_OPEN + 5 - served, closed);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void connectionCloseOnAResponseClosesTheConnection() throws Exception {
        // the client asks in three spellings; the gateway's response says close and the socket ends (RFC 9112 §9.6)
        for (String header : List.of("Connection: close", "connection: Close", "Connection: keep-alive, close")) {
            Socket s = open("GET /health HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n");
            String response = readUntilClosed(s, 5000);
            assertTrue(response.startsWith("HTTP/1.1 200"), header + ": " + response);
            assertTrue(response.toLowerCase().contains("connection: close"), header + ": " + response);
        }
    }

    @Test
    void clientsHangingUpMidHeadAreCountedNotLoggedAsWarnings() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger helidon = Logger.getLogger("io.helidon");
        helidon.addHandler(capture);
        try {
            double before = metric("gateway_connections_client_aborted_heads_total");
            List<String> cuts = List.of("POST /quest/generate HTTP/1.1\r\nHost: x\r\nX-Cut",        // in a header name
                                        "POST /quest/generate HTTP/1.1\r\nHost: x\r\nAccept: appl", // in a header value
                                        "GET /health HTTP/1.1\r\n");                                // between lines
            for (int i = 0; i < 20; i++) {
                for (String cut : cuts) {
                    Socket s = open(cut);
                    Thread.sleep(5);
                    s.close();
                }
            }
            Awaits.until(() -> metric("gateway_connections_client_aborted_heads_total") - before == 60,
                         Duration.ofSeconds(10), "60 cut heads to be counted");
            Thread.sleep(200);
            assertEquals(List.of(), warnings.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
        } finally {
            helidon.removeHandler(capture);
        }
    }

    // ---- helpers ----

    private static double metric(String name) {
        return Metrics.scrape(new Http(gateway.port())).value(name);
    }

    private static double open() {
        return metric("gateway_connections_open");
    }

    private static Socket open(String bytes) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        if (!bytes.isEmpty()) {
            OutputStream out = s.getOutputStream();
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return s;
    }

    /** Everything the server sends until it closes; fails if it has not closed within {@code millis}. */
    private static String readUntilClosed(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + millis + " ms; read " + all.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // reset by the server: closed too
        } finally {
            s.close();
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** One response (head and Content-Length body). */
    private static String readResponse(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int length = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            all.write(b);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                if (length < 0) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
                if (text.length() - end - 4 >= length) {
                    break;
                }
            }
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
