/**
 * The gateway describing itself: an OpenAPI 3.1 document made from the route table and the
 * Protobuf descriptors (JSON Schemas by the proto3 JSON mapping, the {@code .proto} comments as
 * descriptions), served at {@code /openapi.json} and {@code /openapi.yaml}, and a Swagger UI page
 * at {@code /docs} served from the swagger-ui webjar inside the jar.
 *
 * <p>Layer 4, beside {@code serve}: reads the route table ({@code route}) and may use every package
 * below (it writes its errors through {@code http}); only the wiring class
 * {@link gaming.gateway.Gateway} uses it.
 */
package gaming.gateway.openapi;
