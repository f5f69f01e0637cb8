package gaming.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verification keys from a file ({@code JWT_PUBLIC_KEY_FILE}): PEM {@code PUBLIC KEY} blocks
 * (RSA or EC P-256), PEM certificates, or a JWK / JWK set in JSON. Private key material in a
 * JWK file is dropped. Only the JDK and nimbus; no Bouncy Castle.
 */
final class KeyFiles {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private KeyFiles() {
    }

    /** The keys in {@code file}; at least one, else an {@link IllegalArgumentException}. */
    static JWKSet load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read gateway.identity.jwt.public-key-file (JWT_PUBLIC_KEY_FILE) "
                                                       + file + ": " + e.getMessage(), e);
        }
        try {
            JWKSet keys = text.strip().startsWith("{") ? json(text) : pem(text);
            if (keys.getKeys().isEmpty()) {
                throw new IllegalArgumentException("no public key found");
            }
            return keys;
        } catch (IllegalArgumentException | ParseException | GeneralSecurityException | JOSEException e) {
            throw new IllegalArgumentException("gateway.identity.jwt.public-key-file (JWT_PUBLIC_KEY_FILE) " + file
                                                       + " holds no usable RSA or EC P-256 public key: "
                                                       + e.getMessage(), e);
        }
    }

    private static JWKSet json(String text) throws ParseException {
        JWKSet set = text.contains("\"keys\"") ? JWKSet.parse(text) : new JWKSet(JWK.parse(text));
        return set.toPublicJWKSet();
    }

    private static JWKSet pem(String text) throws GeneralSecurityException, JOSEException {
        List<JWK> keys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PUBLIC KEY" -> keys.add(jwk(publicKey(der), null));
                case "CERTIFICATE" -> {
                    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
                    keys.add(jwk(cert.getPublicKey(), cert));
                }
                default -> throw new IllegalArgumentException(
                        "unsupported PEM block " + m.group(1) + " (use PUBLIC KEY or CERTIFICATE)");
            }
        }
        return new JWKSet(keys);
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static JWK jwk(PublicKey key, X509Certificate cert) throws JOSEException {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (!Curve.P_256.equals(curve)) {
                throw new IllegalArgumentException("EC key on curve " + curve + "; ES256 needs P-256");
            }
            return new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).build();
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm()
                                                   + (cert == null ? "" : " in certificate " + cert.getSubjectX500Principal()));
    }
}
