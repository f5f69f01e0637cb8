package gaming.gateway.admin;

import gaming.gateway.error.GatewayException;
import gaming.gateway.observe.GetOrHead;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The console page: {@code admin/console.html} and {@code admin/console.js} from the jar, read once.
 * No CDN, no build step; the script reads {@code GET /admin/migration} and sends
 * {@code PUT /admin/migration/{route}} with the token the operator types in.
 */
final class Console {
    private static final byte[] HTML = resource("admin/console.html");
    private static final byte[] SCRIPT = resource("admin/console.js");

    private Console() {
    }

    static void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create("Content-Type", "text/html; charset=utf-8"));
        res.header(HeaderValues.create("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"));
        GetOrHead.send(req, res, HTML);
    }

    static void sendScript(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create("Content-Type", "text/javascript; charset=utf-8"));
        GetOrHead.send(req, res, SCRIPT);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw GatewayException.internal(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
