package gaming.gateway.identity;

import gaming.testing.JwtKeys;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyFilesTest {
    private static JwtKeys keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        keys = JwtKeys.generate("1");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static JwtVerifier verifierFor(Path file) {
        JwtSettings base = JwtVerifierTest.settings("sub", "tenant_id", 60);
        return JwtVerifier.create(new JwtSettings(Optional.empty(), Optional.of(file), base.issuer(), base.audiences(),
                                                  base.userClaim(), base.tenantClaim(), base.clockSkew(),
                                                  base.jwksTimeout(), base.jwksCacheTtl()));
    }

    @Test
    void rsaPemVerifiesRs256Only() throws Exception {
        JwtVerifier verifier = verifierFor(write("rsa.pem", keys.rsaPublicPem()));
        assertThat(verifier.verify(keys.rs256(JwtKeys.claims("alice", "t").build())).userId(), is("alice"));
        assertThrows(gaming.gateway.error.GatewayException.class,
                     () -> verifier.verify(keys.es256(JwtKeys.claims("alice", "t").build())));
    }

    @Test
    void ecPemVerifiesEs256() throws Exception {
        JwtVerifier verifier = verifierFor(write("ec.pem", keys.ecPublicPem()));
        assertThat(verifier.verify(keys.es256(JwtKeys.claims("alice", "t").build())).userId(), is("alice"));
    }

    @Test
    void severalPemBlocks() throws Exception {
        JWKSet set = KeyFiles.load(write("both.pem", keys.rsaPublicPem() + "\n" + keys.ecPublicPem()));
        assertThat(set.getKeys().size(), is(2));
    }

    @Test
    void jwksJsonKeepsOnlyPublicKeys() throws Exception {
        JWK secret = new RSAKeyGenerator(2048).keyID("k").generate();
        JWKSet set = KeyFiles.load(write("keys.json", new JWKSet(secret).toString(false)));
        assertThat(set.getKeys().size(), is(1));
        assertThat(set.getKeys().get(0).isPrivate(), is(false));
        JWKSet single = KeyFiles.load(write("key.json", secret.toJSONString()));
        assertThat(single.getKeys().get(0).isPrivate(), is(false));
        JwtVerifier verifier = verifierFor(write("pub.json", keys.publicJwks().toString()));
        assertThat(verifier.verify(keys.es256(JwtKeys.claims("bob", null).build())).userId(), is("bob"));
    }

    @Test
    void unusableFilesFailAtStartUp() throws Exception {
        String p384 = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                new ECKeyGenerator(Curve.P_384).generate().toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        for (String text : new String[] {"", "hello", "{}", "{\"keys\":[]}", p384,
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}) {
            Path file = write("bad.pem", text);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.load(file), text);
            assertThat(e.getMessage(), containsString("JWT_PUBLIC_KEY_FILE"));
        }
        assertThat(assertThrows(IllegalArgumentException.class, () -> KeyFiles.load(dir.resolve("missing.pem")))
                           .getMessage(), containsString("cannot read"));
    }
}
