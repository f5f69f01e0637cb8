package gaming.gateway.identity;

import gaming.gateway.error.GatewayException;
import gaming.gateway.transcode.MetaHeaders;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.lang.System.Logger.Level;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Verifies a compact JWS token and reads the identity from its claims. Built once at start-up,
 * then shared by all requests (the nimbus processor is thread-safe once configured).
 *
 * <p>Accepted: a JWS signed with RS256 or ES256 by a key from the configured JWKS URL or key file,
 * {@code typ} absent, {@code JWT} or {@code at+jwt}, {@code iss} equal to the configured issuer,
 * an {@code aud} among the configured audiences, {@code exp} present and not past and {@code nbf}
 * (if present) not in the future, both within the clock skew, and the user claim present.
 * Everything else, including unsigned ({@code alg: none}) and HMAC tokens, is rejected.
 */
public final class JwtVerifier {
    /** The signature algorithms accepted. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** Longer tokens are rejected before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private static final System.Logger LOGGER = System.getLogger(JwtVerifier.class.getName());
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    /** Whether the key source has answered at least once (a JWKS was fetched); always true for fixed keys. */
    private volatile boolean keysLoaded;
    private final String userClaim;
    private final String tenantClaim;

    private JwtVerifier(JWKSource<SecurityContext> source, boolean ignoreKeyId, JwtSettings settings) {
        JWKSource<SecurityContext> keys = (selector, context) -> {
            var found = source.get(selector, context);
            keysLoaded = true;
            return found;
        };
        this.userClaim = settings.userClaim();
        this.tenantClaim = settings.tenantClaim();
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(ignoreKeyId
                                            ? new AnyKeyId(keys)
                                            : new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        Set<String> required = new HashSet<>(Set.of(JWTClaimNames.ISSUER, JWTClaimNames.AUDIENCE,
                                                    JWTClaimNames.EXPIRATION_TIME, settings.userClaim()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audiences(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                required,
                null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The verifier for {@code settings}: the key file is read now; a JWKS URL is fetched on first use, then cached. */
    public static JwtVerifier create(JwtSettings settings) {
        if (settings.publicKeyFile().isPresent()) {
            return create(settings, KeyFiles.load(settings.publicKeyFile().get()));
        }
        return new JwtVerifier(remote(settings), false, settings);
    }

    /**
     * With fixed {@code keys}. When none of them has a key id (a PEM file), the {@code kid} of a
     * token is not matched: any of the keys may verify it.
     */
    static JwtVerifier create(JwtSettings settings, JWKSet keys) {
        boolean noKeyIds = keys.getKeys().stream().allMatch(k -> k.getKeyID() == null);
        return new JwtVerifier(new ImmutableJWKSet<>(keys), noKeyIds, settings);
    }

    /** Selects keys by algorithm only, whatever {@code kid} the token names. */
    private static final class AnyKeyId extends JWSVerificationKeySelector<SecurityContext> {
        AnyKeyId(JWKSource<SecurityContext> keys) {
            super(ALGORITHMS, keys);
        }

        @Override
        protected JWKMatcher createJWKMatcher(JWSHeader header) {
            JWKMatcher matcher = super.createJWKMatcher(header);
            return matcher == null ? null : new JWKMatcher.Builder(matcher).keyIDs((Set<String>) null).build();
        }
    }

    private static JWKSource<SecurityContext> remote(JwtSettings settings) {
        int timeout = (int) settings.jwksTimeout().toMillis();
        long ttl = settings.jwksCacheTtl().toMillis();
        return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().orElseThrow(),
                                                        new DefaultResourceRetriever(timeout, timeout, JWKS_SIZE_LIMIT))
                // keys cached for the TTL; a request waits at most the timeout for a fetch in flight
                .cache(ttl, Math.max(timeout * 2L, 1_000L))
                // refreshed in the background before they expire, so requests rarely wait
                .refreshAheadCache(Math.min(JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME, ttl / 2), null,
                                   Executors.newVirtualThreadPerTaskExecutor(), true, null, false)
                // an unknown kid (key rotation) re-fetches, at most once per 30 s
                .rateLimited(true)
                // while the JWKS endpoint is down, keep verifying with the last keys for a while
                .outageTolerant(true)
                .build();
    }

    /**
     * The identity of a verified {@code token}.
     *
     * @throws GatewayException 401 {@code UNAUTHENTICATED} for any bad token, 503 when the
     *                          signing keys cannot be fetched
     */
    public Identity verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw BearerJwt.invalidToken("token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw BearerJwt.invalidToken("malformed token");
        } catch (BadJWTException e) {
            LOGGER.log(Level.DEBUG, "JWT claims rejected: {0}", e.getMessage());
            throw BearerJwt.invalidToken("token claims rejected: " + e.getMessage());
        } catch (BadJOSEException e) {
            LOGGER.log(Level.DEBUG, "JWT rejected: {0}", e.getMessage());
            String why = e.getMessage() != null && e.getMessage().startsWith("Unsecured")
                    ? "unsigned tokens (alg: none) are not accepted" : e.getMessage();
            throw BearerJwt.invalidToken("token rejected: " + why);
        } catch (RateLimitReachedException e) {
            if (keysLoaded) {
                // the JWKS was fetched moments ago and the token's kid is not in it
                throw BearerJwt.invalidToken("token rejected: unknown signing key");
            }
            throw keysUnavailable(e);
        } catch (KeySourceException e) {
            throw keysUnavailable(e);
        } catch (JOSEException e) {
            LOGGER.log(Level.DEBUG, "JWT verification failed: {0}", e.getMessage());
            throw BearerJwt.invalidToken("token signature cannot be verified");
        }
        return new Identity(claim(claims, userClaim, true), claim(claims, tenantClaim, false));
    }

    /** 503: the JWKS cannot be fetched, so no token can be verified now; not the client's fault. */
    private static GatewayException keysUnavailable(KeySourceException e) {
        LOGGER.log(Level.WARNING, "cannot get JWT signing keys: " + e.getMessage());
        return GatewayException.unavailable("the token signing keys cannot be fetched now");
    }

    private static String claim(JWTClaimsSet claims, String name, boolean required) {
        Object value = claims.getClaim(name);
        if (value == null) {
            if (required) {
                throw BearerJwt.invalidToken("token has no " + name + " claim");
            }
            return "";
        }
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Long || value instanceof Integer) {
            text = value.toString();
        } else {
            throw BearerJwt.invalidToken("token claim " + name + " is not a string");
        }
        if (text.isEmpty() && required) {
            throw BearerJwt.invalidToken("token claim " + name + " is empty");
        }
        if (text.length() > MetaHeaders.MAX_ID_LENGTH || !MetaHeaders.isPrintableAscii(text)) {
            throw BearerJwt.invalidToken("token claim " + name + " must be at most " + MetaHeaders.MAX_ID_LENGTH
                                                 + " printable ASCII characters");
        }
        return text;
    }
}
