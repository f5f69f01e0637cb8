package gaming.gateway;

import com.google.protobuf.Struct;
import gaming.testing.Http;
import gaming.testing.LegacyServer;
import gaming.testing.MigrationFixture;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The admin port's answers to requests it cannot serve: a method a path does not serve is 405 with
 * {@code Allow} (RFC 9110 §15.5.6) in the gateway's problem+json, HEAD works wherever GET does
 * (§9.3.2), and a change whose JSON names a member twice is 400 naming it (the way route bodies are
 * refused), leaving the route as it was.
 */
class AdminIT {
    private static NatsServer nats;
    private static LegacyServer legacy;
    private static Gateway gateway;
    private static Http admin;

    @BeforeAll
    static void start() {
        nats = NatsServer.start();
        legacy = LegacyServer.start();
        gateway = MigrationFixture.start(nats.url(), legacy.url(), Map.of());
        admin = new Http(gateway.adminPort());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, legacy, nats}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aMethodAnAdminPathDoesNotServeIs405WithTheMethodsItServes() {
        String[][] calls = {
                // method, path, Allow
                {"GET", "/admin/migration/models-get", "PUT"},
                {"DELETE", "/admin/migration/models-get", "PUT"},
                {"POST", "/admin/migration/models-get", "PUT"},
                {"PATCH", "/admin/migration/models-get", "PUT"},
                {"PUT", "/admin/migration", "GET, HEAD"},
                {"DELETE", "/admin/migration", "GET, HEAD"},
                {"POST", "/admin/", "GET, HEAD"},
                {"DELETE", "/admin/console.js", "GET, HEAD"}};
        for (String[] call : calls) {
            String what = call[0] + " " + call[1];
            HttpResponse<String> res = admin.send(MigrationFixture.admin(gateway, call[1])
                                                          .method(call[0], HttpRequest.BodyPublishers.noBody()).build());
            Struct problem = Problems.assertProblem(res, 405, "METHOD_NOT_ALLOWED");
            assertThat(what, res.headers().allValues("Allow"), is(java.util.List.of(call[2])));
            assertThat(what, problem.getFieldsOrThrow("detail").getStringValue(),
                       is(call[0] + " is not allowed here; use " + call[2].replace(", ", " or ")));
        }
        // HEAD on a path that serves only PUT: the same status and Allow, no content
        HttpResponse<String> head = admin.send(MigrationFixture.admin(gateway, "/admin/migration/models-get")
                                                       .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode(), is(405));
        assertThat(head.headers().allValues("Allow"), is(java.util.List.of("PUT")));
        assertThat(head.body(), is(""));
    }

    @Test
    void theConsoleNeedsNoTokenForItsMethodsAnswerButTheDataPathsDo() {
        // the console's page holds no data: its 405 comes without a token
        HttpResponse<String> post = admin.send(admin.request("/admin/").POST(HttpRequest.BodyPublishers.noBody()).build());
        Problems.assertProblem(post, 405, "METHOD_NOT_ALLOWED");
        assertThat(post.headers().allValues("Allow"), is(java.util.List.of("GET, HEAD")));
        // the data paths ask for the token first, whatever the method
        HttpResponse<String> delete = admin.send(admin.request("/admin/migration/models-get").DELETE().build());
        Problems.assertProblem(delete, 401, "UNAUTHENTICATED");
        assertThat(delete.headers().firstValue("Allow").isPresent(), is(false));
        // a path the admin port has not at all stays 404
        Problems.assertProblem(admin.send(MigrationFixture.admin(gateway, "/admin/nothing").GET().build()), 404, "NOT_FOUND");
    }

    @Test
    void headWorksWhereGetDoes() {
        for (String path : new String[] {"/admin/migration", "/admin/", "/admin/console.js"}) {
            HttpResponse<String> get = admin.send(MigrationFixture.admin(gateway, path).GET().build());
            HttpResponse<String> head = admin.send(MigrationFixture.admin(gateway, path)
                                                           .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(path, get.statusCode(), is(200));
            assertThat(path, head.statusCode(), is(200));
            assertThat(path, head.body(), is(""));
            assertThat(path, head.headers().firstValue("Content-Length").orElse("none"),
                       is(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length)));
            assertThat(path, head.headers().allValues("Content-Type"), is(get.headers().allValues("Content-Type")));
        }
    }

    @Test
    void aChangeNamingAMemberTwiceIs400NamingItAndChangesNothing() {
        String before = MigrationFixture.route(gateway, "models-get").get("percent").getAsString();

        HttpResponse<String> twice = MigrationFixture.put(gateway, "models-get", "{\"percent\":10,\"percent\":90}");

        Struct problem = Problems.assertProblem(twice, 400, "INVALID_ARGUMENT");
        assertThat(problem.getFieldsOrThrow("detail").getStringValue(),
                   is("invalid JSON for a migration change: name percent is given twice"));
        assertThat(MigrationFixture.route(gateway, "models-get").get("percent").getAsString(), is(before));

        HttpResponse<String> nested = MigrationFixture.put(gateway, "models-get", "{\"mode\":\"split\",\"x\":{\"a\":1,\"a\":2}}");
        Problems.assertProblem(nested, 400, "INVALID_ARGUMENT");
        assertThat(Problems.parse(nested.body()).getFieldsOrThrow("detail").getStringValue(),
                   is("invalid JSON for a migration change: name a is given twice"));
    }

    /**
     * A PUT whose declared {@code Content-Length} is above the admin body cap is 413 at once, without
     * waiting for a body that is never sent (before: no answer until the client gave up, then a
     * SEVERE "unexpected failure" log line).
     */
    @Test
    void aDeclaredBodyAboveTheCapIs413WithoutWaitingForIt() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), gateway.adminPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PUT /admin/migration/models-get HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + MigrationFixture.TOKEN + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(status, is("HTTP/1.1 413"));
        }
    }
}
