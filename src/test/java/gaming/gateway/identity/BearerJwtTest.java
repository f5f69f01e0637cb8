package gaming.gateway.identity;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.testing.JwtKeys;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BearerJwtTest {
    private static JwtKeys keys;
    private static IdentityResolver jwt;

    @BeforeAll
    static void keys() {
        keys = JwtKeys.generate("1");
        jwt = new BearerJwt(JwtVerifier.create(JwtVerifierTest.settings("sub", "tenant_id", 60), keys.publicJwks()));
    }

    private static WritableHeaders<?> spoofing() {
        return WritableHeaders.create()
                .set(HeaderNames.create("X-User-ID"), "mallory")
                .set(HeaderNames.create("X-Tenant-ID"), "evil-corp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "Bearer   "})
    void identityComesFromTheTokenNotTheHeaders(String scheme) {
        var headers = spoofing().set(HeaderNames.AUTHORIZATION, scheme + keys.rs256(JwtKeys.claims("alice", "t-a").build()));
        Meta meta = jwt.toMeta(headers, "tr").build();
        assertThat(meta.getUserId(), is("alice"));
        assertThat(meta.getTenantId(), is("t-a"));
    }

    @Test
    void tenantFromHeaderIsNotKeptWhenTheTokenHasNone() {
        var headers = spoofing().set(HeaderNames.AUTHORIZATION, "Bearer " + keys.rs256(JwtKeys.claims("alice", null).build()));
        Meta meta = jwt.toMeta(headers, "tr").build();
        assertThat(meta.getTenantId(), is(""));
    }

    @Test
    void noTokenIsA401WithAPlainChallenge() {
        GatewayException e = assertThrows(GatewayException.class, () -> jwt.toMeta(spoofing(), "tr"));
        assertThat(e.status(), is(401));
        assertThat(e.code(), is("UNAUTHENTICATED"));
        assertThat(e.challenge(), is("Bearer realm=\"http-nats-gateway\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxpY2U6cHc=", "Bearer", "Bearer    ", "Token abc", "", "eyJhbGciOi"})
    void otherSchemesOrEmptyTokensAre401(String authorization) {
        var headers = spoofing().set(HeaderNames.AUTHORIZATION, authorization);
        GatewayException e = assertThrows(GatewayException.class, () -> jwt.toMeta(headers, "tr"));
        assertThat(e.status(), is(401));
    }

    @Test
    void twoAuthorizationHeadersAre401() {
        String token = keys.rs256(JwtKeys.claims("alice", "t").build());
        var headers = WritableHeaders.create().add(HeaderNames.AUTHORIZATION, "Bearer " + token, "Bearer " + token);
        assertThat(assertThrows(GatewayException.class, () -> jwt.toMeta(headers, "tr")).status(), is(401));
    }

    @Test
    void stripIgnoresTheHeaders() {
        Meta meta = IdentityResolver.STRIP.toMeta(spoofing(), "tr").build();
        assertThat(meta.getUserId(), is(""));
        assertThat(meta.getTenantId(), is(""));
    }

    @Test
    void trustHeadersCopiesThem() {
        Meta meta = IdentityResolver.TRUST_HEADERS.toMeta(spoofing(), "tr").build();
        assertThat(meta.getUserId(), is("mallory"));
        assertThat(meta.getTenantId(), is("evil-corp"));
    }

    @Test
    void resolversMatchTheirModes() {
        assertThat(IdentityResolver.create(new IdentitySettings(IdentityMode.TRUST_HEADERS, java.util.Optional.empty())),
                   is(IdentityResolver.TRUST_HEADERS));
        assertThat(IdentityResolver.create(new IdentitySettings(IdentityMode.STRIP, java.util.Optional.empty())),
                   is(IdentityResolver.STRIP));
    }
}
