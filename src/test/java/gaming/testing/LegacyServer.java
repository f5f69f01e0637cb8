package gaming.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A legacy HTTP service for migration tests (JDK {@code com.sun.net.httpserver} on a free loopback
 * port): answers each path with its {@link Handler} and records every request it received, headers
 * included.
 */
public final class LegacyServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();

    /** What the legacy service answers for one request. */
    public interface Handler {
        void handle(Received request, HttpExchange exchange) throws IOException;
    }

    /** One request as the legacy service received it. */
    public record Received(String method, String target, Headers headers, String body) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    private LegacyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Received r = new Received(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query),
                                      exchange.getRequestHeaders(), body);
            received.computeIfAbsent(path, k -> new LinkedBlockingQueue<>()).add(r);
            Handler h = handlers.get(path);
            try (exchange) {
                if (h == null) {
                    send(exchange, 404, "application/json", "{\"error\":\"no such path\"}");
                } else {
                    h.handle(r, exchange);
                }
            }
        });
        server.start();
    }

    public static LegacyServer start() {
        try {
            return new LegacyServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers {@code path} with {@code handler} from now on. */
    public LegacyServer on(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request received on {@code path}, waiting up to 5 s. */
    public Received next(String path) {
        try {
            Received r = queue(path).poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the legacy service received no request on " + path);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next request received on {@code path} within {@code wait}, or null. */
    public Received poll(String path, Duration wait) throws InterruptedException {
        return queue(path).poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets the requests received on {@code path} that {@link #next} has not taken. */
    public void drain(String path) {
        queue(path).clear();
    }

    /** How many requests on {@code path} {@link #next} has not taken. */
    public int pending(String path) {
        return queue(path).size();
    }

    private BlockingQueue<Received> queue(String path) {
        return received.computeIfAbsent(path, k -> new LinkedBlockingQueue<>());
    }

    /** Sends {@code body} with {@code status} and {@code contentType}. */
    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
