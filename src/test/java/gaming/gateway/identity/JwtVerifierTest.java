package gaming.gateway.identity;

import gaming.gateway.error.GatewayException;
import gaming.testing.JwtKeys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JwtVerifierTest {
    private static JwtKeys keys;
    private static JwtKeys otherKeys;
    private static JwtVerifier verifier;

    @BeforeAll
    static void keys() {
        keys = JwtKeys.generate("1");
        otherKeys = JwtKeys.generate("1");
        verifier = verifier("sub", "tenant_id", 60);
    }

    private static JwtVerifier verifier(String userClaim, String tenantClaim, int skewSeconds) {
        return JwtVerifier.create(settings(userClaim, tenantClaim, skewSeconds), keys.publicJwks());
    }

    static JwtSettings settings(String userClaim, String tenantClaim, int skewSeconds) {
        return new JwtSettings(Optional.empty(), Optional.empty(), JwtKeys.ISSUER, Set.of(JwtKeys.AUDIENCE, "other-aud"),
                               userClaim, tenantClaim, Duration.ofSeconds(skewSeconds), Duration.ofSeconds(1),
                               Duration.ofMinutes(5));
    }

    private static JWTClaimsSet.Builder alice() {
        return JwtKeys.claims("alice", "tenant-a");
    }

    private static void rejected(String token, String why) {
        assertThat(rejected(token).getMessage(), containsString(why));
    }

    private static GatewayException rejected(String token) {
        GatewayException e = assertThrows(GatewayException.class, () -> verifier.verify(token));
        assertThat(e.getMessage(), e.status(), is(401));
        assertThat(e.code(), is("UNAUTHENTICATED"));
        assertThat(e.challenge(), containsString("Bearer realm=\"http-nats-gateway\", error=\"invalid_token\""));
        return e;
    }

    @Test
    void rs256Accepted() {
        assertThat(verifier.verify(keys.rs256(alice().build())), is(new Identity("alice", "tenant-a")));
    }

    @Test
    void es256Accepted() {
        assertThat(verifier.verify(keys.es256(alice().build())), is(new Identity("alice", "tenant-a")));
    }

    @Test
    void anyConfiguredAudienceIsAccepted() {
        assertThat(verifier.verify(keys.rs256(alice().audience(java.util.List.of("x", "other-aud")).build())).userId(),
                   is("alice"));
    }

    @Test
    void tenantClaimIsOptional() {
        assertThat(verifier.verify(keys.rs256(JwtKeys.claims("bob", null).build())), is(new Identity("bob", "")));
    }

    @Test
    void claimsAreConfigurable() {
        JwtVerifier custom = verifier("uid", "org", 60);
        String token = keys.rs256(alice().claim("uid", 4711L).claim("org", "guild-7").build());
        assertThat(custom.verify(token), is(new Identity("4711", "guild-7")));
        GatewayException e = assertThrows(GatewayException.class, () -> custom.verify(keys.rs256(alice().build())));
        assertThat(e.status(), is(401));
        assertThat(e.getMessage(), containsString("uid"));
    }

    @Test
    void expiredRejected() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        rejected(keys.rs256(alice().issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(60))).build()),
                 "Expired");
    }

    @Test
    void expiryWithinClockSkewAccepted() {
        Date justExpired = Date.from(Instant.now().minusSeconds(30));
        assertThat(verifier.verify(keys.rs256(alice().expirationTime(justExpired).build())).userId(), is("alice"));
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> verifier("sub", "tenant_id", 0).verify(
                                                  keys.rs256(alice().expirationTime(justExpired).build())));
        assertThat(e.status(), is(401));
    }

    @Test
    void notYetValidRejected() {
        rejected(keys.rs256(alice().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()), "before use time");
    }

    @Test
    void missingExpiryRejected() {
        rejected(keys.rs256(alice().expirationTime(null).build()), "missing required claims: [exp]");
    }

    @Test
    void wrongIssuerRejected() {
        rejected(keys.rs256(alice().issuer("https://evil.test/").build()), "iss claim value rejected");
        rejected(keys.rs256(alice().issuer(null).build()));
    }

    @Test
    void wrongAudienceRejected() {
        rejected(keys.rs256(alice().audience("someone-else").build()), "aud claim rejected");
        rejected(keys.rs256(alice().audience((String) null).build()));
    }

    @Test
    void missingUserRejected() {
        rejected(keys.rs256(alice().subject(null).build()));
        rejected(keys.rs256(alice().subject("").build()));
    }

    @Test
    void unprintableOrHugeClaimRejected() {
        rejected(keys.rs256(alice().subject("al\nice").build()));
        rejected(keys.rs256(alice().subject("x".repeat(257)).build()));
        rejected(keys.rs256(alice().claim("tenant_id", java.util.List.of("a", "b")).build()));
    }

    @Test
    void algNoneRejected() {
        rejected(JwtKeys.none(alice().build()), "alg: none");
    }

    @Test
    void hs256WithThePublicKeyAsSecretRejected() {
        rejected(keys.hs256WithPublicKey(alice().build()), "Another algorithm expected");
    }

    @Test
    void badSignatureRejected() {
        rejected(keys.rs256SignedBy(otherKeys, alice().build()), "Invalid signature");
        rejected(JwtKeys.withPayload(keys.rs256(JwtKeys.claims("bob", "t").build()), alice().build()));
        rejected(JwtKeys.withPayload(keys.es256(JwtKeys.claims("bob", "t").build()), alice().build()));
    }

    @Test
    void unknownKeyRejected() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        rejected(JwtKeys.sign(JWSAlgorithm.RS256, "stranger", alice().build(), new RSASSASigner(stranger)));
    }

    @Test
    void otherTypesRejected() {
        // signed with the right key, but not a JWT / access token type
        rejected(keys.signRsa(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                                      .type(new JOSEObjectType("secevent+jwt")).build(), alice().build()));
    }

    @Test
    void accessTokenTypeAccepted() {
        String token = keys.signEc(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1")
                                           .type(new JOSEObjectType("at+jwt")).build(), alice().build());
        assertThat(verifier.verify(token).userId(), is("alice"));
    }

    @Test
    void garbageRejected() {
        for (String token : new String[] {"abc", "a.b.c", "a.b", "....", "eyJhbGciOiJSUzI1NiJ9.e30.", "x".repeat(9000)}) {
            rejected(token);
        }
    }

    @Test
    void jwksSourceBuildsForExtremeSettings() throws Exception {
        java.net.URL url = java.net.URI.create("https://idp.example.com/jwks.json").toURL();
        for (long cacheSeconds : new long[] {60, 300, 86_400}) {
            for (long timeoutMs : new long[] {100, 2_000, 10_000}) {
                JwtSettings s = new JwtSettings(Optional.of(url), Optional.empty(), JwtKeys.ISSUER, Set.of("a"), "sub",
                                                "tenant_id", Duration.ZERO, Duration.ofMillis(timeoutMs),
                                                Duration.ofSeconds(cacheSeconds));
                JwtVerifier.create(s);
            }
        }
    }

    @Test
    void keysOfTheWrongFamilyDoNotVerify() {
        JWKSet rsaOnly = new JWKSet(keys.publicJwks().getKeyByKeyId("rsa-1"));
        JwtVerifier rsaVerifier = JwtVerifier.create(settings("sub", "tenant_id", 60), rsaOnly);
        assertThat(rsaVerifier.verify(keys.rs256(alice().build())).userId(), is("alice"));
        GatewayException e = assertThrows(GatewayException.class, () -> rsaVerifier.verify(keys.es256(alice().build())));
        assertThat(e.status(), is(401));
    }
}
