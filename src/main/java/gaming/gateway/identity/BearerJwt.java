package gaming.gateway.identity;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * {@link IdentityMode#JWT}: the identity comes from a verified {@code Authorization: Bearer} token
 * (RFC 6750); {@code X-User-ID} and {@code X-Tenant-ID} are never read, in any spelling.
 */
final class BearerJwt implements IdentityResolver {
    private final JwtVerifier verifier;

    BearerJwt(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void apply(Headers headers, Meta.Builder meta) {
        Identity identity = verifier.verify(token(headers));
        meta.setUserId(identity.userId());
        meta.setTenantId(identity.tenantId());
    }

    /** The token of the {@code Authorization: Bearer} header; 401 without one. */
    static String token(Headers headers) {
        if (headers.contains(HeaderNames.AUTHORIZATION) && headers.get(HeaderNames.AUTHORIZATION).allValues().size() > 1) {
            throw invalidToken("more than one Authorization header");
        }
        String value = headers.first(HeaderNames.AUTHORIZATION).orElse("").strip();
        if (value.equalsIgnoreCase("Bearer")) {
            throw invalidToken("the Bearer token is empty");
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw GatewayException.unauthenticated("a Bearer token is required (Authorization: Bearer <JWT>)",
                                                   GatewayException.BEARER_CHALLENGE);
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw invalidToken("the Bearer token is empty");
        }
        return token;
    }

    /** 401 for a token that was sent but is not acceptable. */
    static GatewayException invalidToken(String detail) {
        return GatewayException.unauthenticated(detail, GatewayException.BEARER_CHALLENGE + ", error=\"invalid_token\"");
    }
}
