package gaming.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * {@code bench-legacy --port P --body-file F}: a stand-in legacy HTTP service for
 * {@code bench/migration-cost}: answers every request on loopback port {@code P} with 200,
 * {@code application/json} and the bytes of {@code F} (read once), after reading the request body;
 * one virtual thread per request.
 */
final class BenchLegacy {
    private BenchLegacy() {
    }

    static void run(String[] argv) throws IOException, InterruptedException {
        Args args = new Args(argv);
        byte[] body = Files.readAllBytes(Path.of(args.get("body-file", "")));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", args.getInt("port", 0)), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> answer(exchange, body));
        server.start();
        System.out.println("bench-legacy on http://127.0.0.1:" + server.getAddress().getPort() + " answering "
                                   + body.length + " bytes");
        new CountDownLatch(1).await();
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
