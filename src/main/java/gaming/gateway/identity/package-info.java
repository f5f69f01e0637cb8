/**
 * Who a request is from: the identity modes ({@code trust-headers}, {@code strip}, {@code jwt}),
 * JWT verification against a key file or JWKS, and
 * {@link gaming.gateway.identity.IdentityResolver}, which the route service asks for a request's
 * {@code Meta} with {@code user_id} and {@code tenant_id} set.
 *
 * <p>Layer 2: may use {@code error} and {@code transcode}.
 */
package gaming.gateway.identity;
