package gaming.gateway;

import ai.model.v1.ListModelsRequest;
import ai.model.v1.ListModelsResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.nimbusds.jwt.JWTClaimsSet;
import common.v1.Meta;
import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.NatsMonitor;
import gaming.testing.JwksServer;
import gaming.testing.JwtKeys;
import gaming.testing.NatsServer;
import gaming.testing.Problems;
import gaming.testing.Responder;
import gaming.testing.TestGateway;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code IDENTITY_MODE} over real HTTP and a real nats-server: in {@code jwt} mode a request
 * without a valid Bearer token is answered 401 and never reaches NATS (counted by the server's
 * own {@code /varz in_msgs}), and the service sees the token's identity whatever identity headers
 * the client sends; {@code strip} drops the headers; {@code trust-headers} passes them.
 */
class IdentityIT {
    private static final String SUBJECT = "svc.ai.model.v1.list";
    private static final String PATH = "/ai/models";

    private static NatsServer nats;
    private static Connection service;
    private static JwtKeys keys;
    private static JwtKeys otherKeys;
    private static JwksServer jwks;
    private static Gateway jwtGateway;
    private static Http http;
    private static Responder responder;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServer.start();
        service = Nats.connect(nats.url());
        keys = JwtKeys.generate("1");
        otherKeys = JwtKeys.generate("1");
        jwks = JwksServer.start(keys.publicJwks());
        jwtGateway = TestGateway.start(nats.url(), jwtMode("gateway.identity.jwt.jwks-url", jwks.url()));
        http = new Http(jwtGateway.port());
        responder = Responder.create(service, SUBJECT, echoIdentity());
    }

    @AfterAll
    static void stop() throws Exception {
        responder.close();
        jwtGateway.close();
        jwks.close();
        service.close();
        nats.close();
    }

    @BeforeEach
    void drain() {
        while (responder.pending() > 0) {
            responder.next();
        }
    }

    private static Map<String, String> jwtMode(String... pairs) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "gateway.identity.mode", "jwt",
                "gateway.identity.jwt.issuer", JwtKeys.ISSUER,
                "gateway.identity.jwt.audience", JwtKeys.AUDIENCE));
        for (int i = 0; i < pairs.length; i += 2) {
            overrides.put(pairs[i], pairs[i + 1]);
        }
        return overrides;
    }

    /** The service answers with an empty list; the test reads the Meta it received from {@link Responder#next()}. */
    private static Function<io.nats.client.Message, byte[]> echoIdentity() {
        return msg -> ListModelsResponse.newBuilder().setSelectedModelId("m").build().toByteArray();
    }

    private static Meta metaOf(io.nats.client.Message msg) {
        try {
            return ListModelsRequest.parseFrom(msg.getData()).getMeta();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts {@code response} is a 200 and the service received {@code userId} and {@code tenantId} in Meta. */
    private static void assertServiceSaw(HttpResponse<String> response, String userId, String tenantId) {
        assertThat(response.body(), response.statusCode(), is(200));
        Meta meta = metaOf(responder.next());
        assertThat(meta.getUserId(), is(userId));
        assertThat(meta.getTenantId(), is(tenantId));
    }

    private static HttpResponse<String> post(Http client, String json, String... headers) {
        return client.post(PATH, json, headers);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Messages nats-server has received from all clients so far ({@code /varz in_msgs}). */
    private static long natsInMsgs() {
        return NatsMonitor.inMsgs(nats.monitorUrl());
    }

    /** Asserts {@code response} is a 401 with a Bearer challenge, and nothing was published since {@code inMsgsBefore}. */
    private static void assertRejected(HttpResponse<String> response, long inMsgsBefore, String error) throws Exception {
        Problems.assertProblem(response, 401, "UNAUTHENTICATED");
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("missing");
        assertThat(challenge, startsWith("Bearer realm=\"http-nats-gateway\""));
        if (error != null) {
            assertThat(challenge, containsString("error=\"" + error + "\""));
        }
        Thread.sleep(100);
        assertThat("nothing reached the service", responder.pending(), is(0));
        assertThat("nothing was published to NATS", natsInMsgs(), is(inMsgsBefore));
    }

    @Test
    void validRs256AndEs256TokensAreAccepted() {
        for (String token : List.of(keys.rs256(JwtKeys.claims("alice", "tenant-a").build()),
                                    keys.es256(JwtKeys.claims("alice", "tenant-a").build()))) {
            HttpResponse<String> response = post(http, "{}", "Authorization", bearer(token));
            assertServiceSaw(response, "alice", "tenant-a");
        }
    }

    @Test
    void noTokenIs401AndNothingIsPublished() throws Exception {
        long before = natsInMsgs();
        assertRejected(post(http, "{}"), before, null);
        assertRejected(post(http, "{}", "X-User-ID", "alice", "X-Tenant-ID", "tenant-a"), before, null);
        assertRejected(post(http, "{}", "Authorization", "Basic YWxpY2U6cHc="), before, null);
        assertRejected(post(http, "{}", "Authorization", "Bearer "), before, "invalid_token");

        // the published-message counter does move when a request does get through
        post(http, "{}", "Authorization", bearer(keys.rs256(JwtKeys.claims("alice", null).build())));
        responder.next();
        assertThat(natsInMsgs() > before, is(true));
    }

    @Test
    void streamingRequestWithoutTokenIs401() throws Exception {
        long before = natsInMsgs();
        HttpResponse<String> response = http.send(http.request("/ai/llm/infer")
                                                          .header("Content-Type", "application/json")
                                                          .header("Accept", "text/event-stream")
                                                          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                                                  "{\"model_id\":\"m\",\"params\":{\"stream\":true}}"))
                                                          .build());
        assertRejected(response, before, null);
    }

    static Stream<Named<String>> badTokens() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        JWTClaimsSet good = JwtKeys.claims("alice", "tenant-a").build();
        return Stream.of(
                Named.of("expired", keys.rs256(JwtKeys.claims("alice", "t").issueTime(Date.from(past))
                                                       .expirationTime(Date.from(past.plusSeconds(300))).build())),
                Named.of("wrong issuer", keys.rs256(JwtKeys.claims("alice", "t").issuer("https://evil.test/").build())),
                Named.of("wrong audience", keys.es256(JwtKeys.claims("alice", "t").audience("another-api").build())),
                Named.of("alg none", JwtKeys.none(good)),
                Named.of("HS256 with the public key as secret", keys.hs256WithPublicKey(good)),
                Named.of("bad RS256 signature", keys.rs256SignedBy(otherKeys, good)),
                Named.of("ES256 by another key, same kid", otherKeys.es256(good)),
                Named.of("payload swapped", JwtKeys.withPayload(keys.es256(JwtKeys.claims("bob", "t").build()), good)),
                Named.of("no user claim", keys.rs256(JwtKeys.claims(null, "t").build())),
                Named.of("not a JWT", "not.a.jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokensAre401AndNothingIsPublished(String token) throws Exception {
        long before = natsInMsgs();
        assertRejected(post(http, "{}", "Authorization", bearer(token), "X-User-ID", "alice"), before, "invalid_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-User-ID", "x-user-id", "X-USER-ID", "X-User-Id"})
    void identityHeadersAreIgnoredInEverySpelling(String userHeader) {
        String tenantHeader = userHeader.replace("User", "Tenant").replace("user", "tenant").replace("USER", "TENANT");
        String token = keys.rs256(JwtKeys.claims("alice", "tenant-a").build());
        HttpResponse<String> response = post(http, "{}", "Authorization", bearer(token),
                                             userHeader, "mallory", tenantHeader, "evil-corp");
        assertServiceSaw(response, "alice", "tenant-a");
    }

    @Test
    void tenantHeaderDoesNotFillAnAbsentTenantClaim() {
        String token = keys.es256(JwtKeys.claims("alice", null).build());
        assertServiceSaw(post(http, "{}", "Authorization", bearer(token), "X-Tenant-ID", "evil-corp"), "alice", "");
    }

    @Test
    void identityInTheBodyMetaIsIgnored() {
        String token = keys.rs256(JwtKeys.claims("alice", "tenant-a").build());
        HttpResponse<String> response = post(http, "{\"meta\":{\"user_id\":\"mallory\",\"tenant_id\":\"evil-corp\"}}",
                                             "Authorization", bearer(token));
        assertServiceSaw(response, "alice", "tenant-a");
    }

    @Test
    void jwksIsFetchedOnceAndCached() {
        assertServiceSaw(post(http, "{}", "Authorization", bearer(keys.rs256(JwtKeys.claims("u", "t").build()))), "u", "t");
        int fetches = jwks.fetches();
        assertThat("JWKS fetched by the first request, not at start-up", fetches, lessThanOrEqualTo(2));
        for (int i = 0; i < 20; i++) {
            String token = (i % 2 == 0 ? keys.rs256(JwtKeys.claims("u" + i, "t").build())
                                       : keys.es256(JwtKeys.claims("u" + i, "t").build()));
            assertServiceSaw(post(http, "{}", "Authorization", bearer(token)), "u" + i, "t");
        }
        assertThat("no JWKS fetch for 20 more requests", jwks.fetches(), is(fetches));
    }

    @Test
    void unknownKeyIdsAre401AndRefetchAtMostOnce() throws Exception {
        JwtKeys stranger = JwtKeys.generate("stranger");
        int fetches = jwks.fetches();
        for (int i = 0; i < 5; i++) {
            long before = natsInMsgs();
            assertRejected(post(http, "{}", "Authorization", bearer(stranger.rs256(JwtKeys.claims("alice", "t").build()))),
                           before, "invalid_token");
        }
        assertThat("an unknown kid re-fetches the JWKS, rate-limited", jwks.fetches() - fetches, lessThanOrEqualTo(1));
    }

    @Test
    void customClaimsAndAKeyFile() throws Exception {
        Path pem = Files.createTempFile("jwt", ".pem");
        Files.writeString(pem, keys.rsaPublicPem());
        try (Gateway gateway = TestGateway.start(nats.url(), jwtMode(
                "gateway.identity.jwt.public-key-file", pem.toString(),
                "gateway.identity.jwt.user-claim", "uid",
                "gateway.identity.jwt.tenant-claim", "org"))) {
            Http client = new Http(gateway.port());
            String token = keys.rs256(JwtKeys.claims("alice", "tenant-a").claim("uid", "player-9")
                                              .claim("org", "guild-7").build());
            assertServiceSaw(post(client, "{}", "Authorization", bearer(token)), "player-9", "guild-7");

            long before = natsInMsgs();
            // an ES256 token cannot be verified with an RSA key file
            String es = keys.es256(JwtKeys.claims("alice", "t").claim("uid", "player-9").build());
            assertRejected(post(client, "{}", "Authorization", bearer(es)), before, "invalid_token");
        } finally {
            Files.deleteIfExists(pem);
        }
    }

    @Test
    void unreachableJwksIs503WithinItsTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Gateway gateway = TestGateway.start(nats.url(), jwtMode(
                     "gateway.identity.jwt.jwks-url", "http://127.0.0.1:" + stalled.getLocalPort() + "/jwks.json",
                     "gateway.identity.jwt.jwks-timeout-ms", "300"))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(stalled.accept());   // accept, never answer
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            Awaits.natsConnected(gateway);
            long before = natsInMsgs();
            long start = System.nanoTime();
            HttpResponse<String> response = post(new Http(gateway.port()), "{}", "Authorization",
                                                 bearer(keys.rs256(JwtKeys.claims("alice", "t").build())));
            long millis = (System.nanoTime() - start) / 1_000_000;
            Problems.assertProblem(response, 503, "UNAVAILABLE");
            assertThat(response.headers().firstValue("Retry-After").isPresent(), is(true));
            assertThat("answered after the JWKS timeout, not hung (generous for a busy machine)", millis, lessThan(10_000L));
            assertThat(natsInMsgs(), is(before));
            acceptor.interrupt();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void stripModeSendsNoIdentity() {
        try (Gateway gateway = TestGateway.start(nats.url(), Map.of("gateway.identity.mode", "strip"))) {
            Http client = new Http(gateway.port());
            String token = keys.rs256(JwtKeys.claims("alice", "tenant-a").build());
            for (String[] headers : List.of(new String[] {"X-User-ID", "mallory", "X-Tenant-ID", "evil-corp"},
                                            new String[] {"x-user-id", "mallory", "x-tenant-id", "evil-corp"},
                                            new String[] {"Authorization", bearer(token), "X-USER-ID", "mallory"})) {
                HttpResponse<String> response = post(client, "{\"meta\":{\"user_id\":\"body-user\"}}", headers);
                assertServiceSaw(response, "", "");
            }
        }
    }

    @Test
    void trustHeadersIsTheDefaultAndPassesThem() {
        try (Gateway gateway = TestGateway.start(nats.url())) {
            HttpResponse<String> response = post(new Http(gateway.port()), "{}", "X-User-ID", "user-7",
                                                 "X-Tenant-ID", "tenant-7");
            assertServiceSaw(response, "user-7", "tenant-7");
        }
    }

    @Test
    void unknownModeFailsStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestGateway.start(
                nats.url(), Map.of("gateway.identity.mode", "trust_everyone")).close());
        assertThat(e.getMessage(), containsString("IDENTITY_MODE"));
        assertThat(e.getMessage(), containsString("trust-headers, strip, jwt"));
        assertThat(e.getMessage(), containsString("trust_everyone"));
    }

    @Test
    void incompleteJwtSettingsFailStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestGateway.start(
                nats.url(), Map.of("gateway.identity.mode", "jwt")).close());
        assertThat(e.getMessage(), containsString("JWT_JWKS_URL"));
    }
}
