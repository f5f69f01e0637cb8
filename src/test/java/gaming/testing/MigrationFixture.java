package gaming.testing;

import gaming.gateway.Gateway;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Helpers of migration tests: the route table of {@code migration-routes.yaml} pointed at a legacy service, and admin calls. */
public final class MigrationFixture {
    /** The admin token of migration tests. */
    public static final String TOKEN = "test-admin-token-0123456789";

    private MigrationFixture() {
    }

    /** {@code src/test/resources/migration-routes.yaml} with {@code LEGACY_URL} replaced, in a temporary file. */
    public static Path routes(String legacyUrl) {
        try {
            String yaml = Files.readString(Path.of("src/test/resources/migration-routes.yaml")).replace("LEGACY_URL", legacyUrl);
            Path file = Files.createTempFile("migration-routes", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gateway on {@code natsUrl} with that route table and the admin endpoints on a free port. */
    public static Gateway start(String natsUrl, String legacyUrl, Map<String, String> more) {
        Map<String, String> overrides = new HashMap<>(Map.of("gateway.admin.token", TOKEN, "gateway.admin.port", "0"));
        overrides.putAll(more);
        return TestGateway.start(natsUrl, overrides, routes(legacyUrl));
    }

    /** {@code GET /admin/migration} with the token. */
    public static JsonObject migration(Gateway gateway) {
        HttpResponse<String> res = new Http(gateway.adminPort()).send(admin(gateway, "/admin/migration").GET().build());
        if (res.statusCode() != 200) {
            throw new AssertionError("GET /admin/migration: " + res.statusCode() + " " + res.body());
        }
        return JsonParser.parseString(res.body()).getAsJsonObject();
    }

    /** One route's entry of {@code GET /admin/migration}. */
    public static JsonObject route(Gateway gateway, String name) {
        return migration(gateway).getAsJsonObject("routes").getAsJsonObject(name);
    }

    /** {@code PUT /admin/migration/{route}} with {@code json}. */
    public static HttpResponse<String> put(Gateway gateway, String route, String json) {
        return new Http(gateway.adminPort()).send(admin(gateway, "/admin/migration/" + route)
                                                          .header("Content-Type", "application/json")
                                                          .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A request to the admin port with the token. */
    public static HttpRequest.Builder admin(Gateway gateway, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .header("Authorization", "Bearer " + TOKEN);
    }
}
