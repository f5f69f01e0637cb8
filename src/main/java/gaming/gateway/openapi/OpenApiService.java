package gaming.gateway.openapi;

import gaming.gateway.error.GatewayException;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.identity.IdentityMode;
import gaming.gateway.route.RouteTable;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.models.OpenAPI;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code GET /openapi.json}, {@code GET /openapi.yaml} and {@code GET /docs}: the route table's
 * OpenAPI 3.1 document ({@link OpenApiDocument}) and a Swagger UI page for it, whose script and
 * style come from the swagger-ui webjar in the jar ({@code /docs/swagger-ui-bundle.js},
 * {@code /docs/swagger-ui.css}); nothing is fetched from elsewhere.
 *
 * <p>The document is made once, from the route table validated at start-up, by the first request
 * for it (later ones wait for it and then share it): building it and loading the JSON and YAML
 * writers costs about 0.4 s of CPU, which would otherwise compete with the server's start.
 */
public final class OpenApiService implements HttpService {
    private static final System.Logger LOGGER = System.getLogger(OpenApiService.class.getName());
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    private static final byte[] PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>http-nats-gateway API</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
              </script>
            </body>
            </html>
            """.getBytes(StandardCharsets.UTF_8);

    private final FutureTask<Documents> documents;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    private OpenApiService(FutureTask<Documents> documents) {
        this.documents = documents;
    }

    /**
     * The service for {@code table}; the document is built on the first request for it.
     *
     * @param identity the gateway's identity mode (which headers and security the operations have)
     */
    public static OpenApiService create(RouteTable table, IdentityMode identity) {
        return new OpenApiService(new FutureTask<>(() -> Documents.of(OpenApiDocument.create(table, identity,
                                                                                              version()))));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", (req, res) -> send(res, "application/json", documents().json()))
                .get("/openapi.yaml", (req, res) -> send(res, "application/yaml", documents().yaml()))
                .get("/docs", (req, res) -> send(res, "text/html; charset=utf-8", PAGE))
                .get("/docs/{file}", this::asset);
    }

    private void asset(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().first("file").orElse("");
        String type = ASSETS.get(file);
        if (type == null) {
            ErrorHandlers.send(req, res, GatewayException.notFound(req.path().path()));
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        send(res, type, assets.computeIfAbsent(file, OpenApiService::webjarFile));
    }

    private static void send(ServerResponse res, String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);
        res.send(body);
    }

    private Documents documents() {
        documents.run(); // builds on the first call; a no-op once it has run or while another call runs it
        try {
            return documents.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.shuttingDown();
        } catch (ExecutionException e) {
            LOGGER.log(System.Logger.Level.ERROR, "cannot build the OpenAPI document", e.getCause());
            throw GatewayException.internal("the OpenAPI document could not be built");
        }
    }

    private static byte[] webjarFile(String file) {
        String path = WEBJAR + webjarVersion() + "/" + file;
        try (InputStream in = OpenApiService.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("swagger-ui webjar has no " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = OpenApiService.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the class path");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String version() {
        String version = OpenApiService.class.getPackage().getImplementationVersion();
        return version == null ? "1.0.0-SNAPSHOT" : version;
    }

    /** The document, written once in both formats. */
    private record Documents(byte[] json, byte[] yaml) {
        static Documents of(OpenAPI api) {
            return new Documents(Json31.pretty(api).getBytes(StandardCharsets.UTF_8),
                                 Yaml31.pretty(api).getBytes(StandardCharsets.UTF_8));
        }
    }
}
