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

    /**
     * A request's {@link Meta}: the identity from this resolver first, before any other header is
     * looked at, then the rest of the headers ({@link MetaHeaders#addTo}).
     *
     * @param traceId the request's trace id (32 lower-case hex digits or the client's {@code X-Trace-ID})
     * @throws gaming.gateway.error.GatewayException 401 from this resolver; 400 for a malformed header
     */
    default Meta.Builder toMeta(Headers headers, String traceId) {
        Meta.Builder meta = Meta.newBuilder().setTraceId(traceId);
        apply(headers, meta);
        return MetaHeaders.addTo(headers, meta);
    }

    /** {@link IdentityMode#TRUST_HEADERS}: {@code X-User-ID} and {@code X-Tenant-ID} copied as sent. */
    IdentityResolver TRUST_HEADERS = MetaHeaders::copyIdentity;

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
