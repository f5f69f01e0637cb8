package gaming.gateway.identity;

/**
 * Who a request is from, as far as the gateway vouches for it.
 *
 * @param userId   {@code Meta.user_id}; empty when unknown
 * @param tenantId {@code Meta.tenant_id}; empty when unknown
 */
public record Identity(String userId, String tenantId) {
    public Identity {
        userId = userId == null ? "" : userId;
        tenantId = tenantId == null ? "" : tenantId;
    }
}
