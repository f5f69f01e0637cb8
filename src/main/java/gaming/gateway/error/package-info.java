/**
 * Errors, the floor of the gateway: {@link gaming.gateway.error.GatewayException} (every failure on
 * the request path, created through one factory per kind), {@link gaming.gateway.error.ErrorCode}
 * (each gateway error code with its HTTP status), {@link gaming.gateway.error.StatusTable}
 * (Protobuf {@code Error.Code} to HTTP status) and the RFC 9457 problem+json body
 * ({@link gaming.gateway.error.Problem}).
 *
 * <p>Layer 0: imports nothing else from the gateway, speaks no HTTP and records nothing; writing
 * a response is {@code http/}, counting it is {@code observe/}.
 */
package gaming.gateway.error;
