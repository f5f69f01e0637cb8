package gaming.gateway.admin;

import gaming.gateway.error.GatewayException;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.migration.LiveMigrations;
import gaming.gateway.migration.Migrations;
import gaming.gateway.observe.GetOrHead;
import gaming.gateway.transcode.JsonErrors;
import gaming.gateway.transcode.StrictJson;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin endpoints, registered only on the admin listener:
 * <ul>
 *   <li>{@code GET /admin/migration}: every route in migration with its settings and counts;</li>
 *   <li>{@code PUT /admin/migration/{route}}: a JSON object of the fields to change ({@code mode},
 *       {@code percent}, {@code primary}, {@code sticky-by}, {@code shadow}, {@code fallback},
 *       {@code shadow-writes}, {@code noise-sample}); answers the settings now in force and
 *       {@code "scope": "all-instances"} (stored in the shared JetStream bucket) or
 *       {@code "this-instance"} with a {@code "reason"} (NATS down, no JetStream, or the bucket did
 *       not store it: the change applies here only; the next change is tried on the bucket again);</li>
 *   <li>{@code GET /admin/}: the console page (and its {@code console.js}), served without a token:
 *       they hold no data, and the script sends the token the operator types with every call.</li>
 * </ul>
 * Every other request needs {@code Authorization: Bearer <token>}, compared in constant time; otherwise
 * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 section 3). HEAD works wherever GET does
 * (RFC 9110 section 9.3.2); another method than a path serves is 405 with {@code Allow} naming them
 * (section 15.5.6), in the same problem+json as on the public port. A body is read strictly
 * ({@link StrictJson#parse}): a member named twice is 400, not the last one silently kept.
 */
public final class AdminService implements HttpService {
    private static final String BEARER = "Bearer ";
    private static final int MAX_BODY = 4096;

    private final byte[] token;
    private final String tokenName;
    private final Migrations migrations;
    private final LiveMigrations live;

    private AdminService(AdminSettings settings, Migrations migrations, LiveMigrations live) {
        this.token = settings.tokenBytes();
        this.tokenName = settings.tokenName();
        this.migrations = migrations;
        this.live = live;
    }

    /** The admin service; {@code settings} must be {@linkplain AdminSettings#enabled enabled}. */
    public static AdminService create(AdminSettings settings, Migrations migrations, LiveMigrations live) {
        return new AdminService(settings, migrations, live);
    }

    @Override
    public void routing(HttpRules rules) {
        // the console's page and script hold no data and a browser cannot send a bearer token when it
        // navigates: they are served without one; the script sends the token with every data call
        rules.any("/admin", (req, res) -> res.status(308).header(HeaderNames.LOCATION, "/admin/").send())
                .get("/admin/", Console::send)
                .head("/admin/", Console::send)
                .any("/admin/", ErrorHandlers::getOrHeadOnly)
                .get("/admin/console.js", Console::sendScript)
                .head("/admin/console.js", Console::sendScript)
                .any("/admin/console.js", ErrorHandlers::getOrHeadOnly)
                .any("/admin/*", (req, res) -> {
                    if (!authorized(req)) {
                        ErrorHandlers.send(req, res, GatewayException.unauthenticated(
                                "admin endpoints need Authorization: Bearer <GATEWAY_ADMIN_TOKEN>", "Bearer realm=\"gateway-admin\""));
                        return;
                    }
                    res.next();
                })
                .get("/admin/migration", this::list)
                .head("/admin/migration", this::list)
                .any("/admin/migration", ErrorHandlers::getOrHeadOnly)
                .put("/admin/migration/{route}", this::change)
                .any("/admin/migration/{route}", (req, res) -> ErrorHandlers.methodNotAllowed(req, res, Method.PUT));
    }

    private boolean authorized(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonObject body = migrations.toJson();
        body.addProperty("shared", live.shared());
        json(req, res, body);
    }

    private void change(ServerRequest req, ServerResponse res) {
        try {
            String route = req.path().pathParameters().get("route");
            JsonObject change = parse(req);
            LiveMigrations.Change done = live.change(route, change, tokenName);
            JsonObject out = new JsonObject();
            out.addProperty("route", route);
            out.add("settings", done.settings().changeJson());
            out.addProperty("scope", done.shared() ? "all-instances" : "this-instance");
            if (!done.shared()) {
                out.addProperty("reason", done.reason());
            }
            json(req, res, out);
        } catch (GatewayException e) {
            ErrorHandlers.send(req, res, e);
        }
    }

    private static JsonObject parse(ServerRequest req) {
        if (req.headers().contentLength().orElse(0) > MAX_BODY) {
            throw GatewayException.payloadTooLarge(MAX_BODY); // at once: not waiting for a body it will refuse
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            throw GatewayException.invalidArgument("could not read the body"); // e.g. the client left mid-body
        }
        if (bytes.length > MAX_BODY) {
            throw GatewayException.payloadTooLarge(MAX_BODY);
        }
        JsonElement e;
        try {
            e = StrictJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | JsonParseException ex) {
            throw GatewayException.invalidArgument("invalid JSON for a migration change" + JsonErrors.describe(ex));
        }
        if (!e.isJsonObject()) {
            throw GatewayException.invalidArgument("the body must be a JSON object such as {\"mode\":\"split\",\"percent\":10}");
        }
        return e.getAsJsonObject();
    }

    private static void json(ServerRequest req, ServerResponse res, JsonObject body) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        GetOrHead.send(req, res, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
