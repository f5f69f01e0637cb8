package gaming.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Signing keys and tokens for identity tests: an RSA key ({@code kid rsa-1}) and an EC P-256 key
 * ({@code kid ec-1}), and every kind of bad token the gateway must refuse.
 */
public final class JwtKeys {
    public static final String ISSUER = "https://idp.test/";
    public static final String AUDIENCE = "http-nats-gateway";

    private final RSAKey rsa;
    private final ECKey ec;

    private JwtKeys(RSAKey rsa, ECKey ec) {
        this.rsa = rsa;
        this.ec = ec;
    }

    /** Fresh keys with the given key id suffix, e.g. {@code 1} for {@code rsa-1} and {@code ec-1}. */
    public static JwtKeys generate(String kidSuffix) {
        try {
            return new JwtKeys(new RSAKeyGenerator(2048).keyID("rsa-" + kidSuffix).generate(),
                               new ECKeyGenerator(Curve.P_256).keyID("ec-" + kidSuffix).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public keys as a JWK set. */
    public JWKSet publicJwks() {
        return new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
    }

    /** The RSA public key as a PEM {@code PUBLIC KEY} block. */
    public String rsaPublicPem() {
        return pem(rsaPublicKey());
    }

    /** The EC public key as a PEM {@code PUBLIC KEY} block. */
    public String ecPublicPem() {
        try {
            return pem(ec.toECPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key rsaPublicKey() {
        try {
            return rsa.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Key key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Valid claims: issuer, audience, subject, tenant, issued now, expiring in 5 minutes. */
    public static JWTClaimsSet.Builder claims(String user, String tenant) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(user)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        return claims;
    }

    public String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, signer(rsa));
    }

    public String es256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.ES256, ec.getKeyID(), claims, signer(ec));
    }

    /** Signed with the RSA key under {@code header} (for odd {@code typ} or {@code kid} values). */
    public String signRsa(JWSHeader header, JWTClaimsSet claims) {
        return sign(header, claims, signer(rsa));
    }

    /** Signed with the EC key under {@code header}. */
    public String signEc(JWSHeader header, JWTClaimsSet claims) {
        return sign(header, claims, signer(ec));
    }

    /** Signed with RS256 under this key's kid but by {@code other}'s private key: a bad signature. */
    public String rs256SignedBy(JwtKeys other, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, signer(other.rsa));
    }

    /** An unsecured JWT ({@code alg: none}). */
    public static String none(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** HS256 with the RSA public key (PEM text) as the HMAC secret: the classic key-confusion attack. */
    public String hs256WithPublicKey(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, rsa.getKeyID(), claims,
                        new MACSigner(rsaPublicPem().getBytes(StandardCharsets.US_ASCII)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code token} with its payload replaced by {@code claims}, the signature kept. */
    public static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];
    }

    private static JWSSigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner signer(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code claims} with {@code typ: JWT}. */
    public static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
        return sign(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims, signer);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
