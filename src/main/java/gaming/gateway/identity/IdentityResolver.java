package gaming.gateway.identity;

import common.v1.Meta;
import gaming.gateway.transcode.MetaHeaders;

import io.helidon.http.Headers;

/**
 * Sets {@code user_id} and {@code tenant_id} of a request's {@link Meta}, in the way
 * {@link IdentityMode} says. Built once at start-up; called on every request before the body is
 * read, so that a request that fails here is never published to NATS.
 */
@FunctionalInterface
public interface IdentityResolver {
    /**
     * Sets the identity fields of {@code meta} from the request {@code headers}.
     *
     * @throws gaming.gateway.error.GatewayException 401 when the request is not authenticated,
     *                                               400 for a malformed identity header
     */
    void apply(Headers headers, Meta.Builder meta);

    /** {@link IdentityMode#TRUST_HEADERS}: {@code X-User-ID} and {@code X-Tenant-ID} copied as sent. */
    IdentityResolver TRUST_HEADERS = (headers, meta) -> {
        String userId = MetaHeaders.idHeader(headers, MetaHeaders.X_USER_ID);
        if (userId != null) {
            meta.setUserId(userId);
        }
        String tenantId = MetaHeaders.idHeader(headers, MetaHeaders.X_TENANT_ID);
        if (tenantId != null) {
            meta.setTenantId(tenantId);
        }
    };

    /** {@link IdentityMode#STRIP}: headers ignored, identity left empty. */
    IdentityResolver STRIP = (headers, meta) -> {
        meta.clearUserId();
        meta.clearTenantId();
    };

    /** The resolver for {@code settings}; in {@code jwt} mode this loads the key file or prepares the JWKS source. */
    static IdentityResolver create(IdentitySettings settings) {
        return switch (settings.mode()) {
            case TRUST_HEADERS -> TRUST_HEADERS;
            case STRIP -> STRIP;
            case JWT -> new BearerJwt(JwtVerifier.create(settings.jwt().orElseThrow()));
        };
    }
}
