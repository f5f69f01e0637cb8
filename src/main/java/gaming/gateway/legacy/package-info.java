/**
 * Calls to a route's legacy HTTP service during a migration: the route's {@code legacy} block
 * ({@link gaming.gateway.legacy.LegacySpec}) and one Helidon WebClient per legacy base URL, with
 * its own connection pool and timeouts ({@link gaming.gateway.legacy.LegacyClients}). A request is
 * forwarded as the client sent it (method, raw path and query, body, end-to-end headers) and the
 * answer comes back as it is ({@link gaming.gateway.legacy.LegacyAnswer}).
 *
 * <p>Layer 2: may use {@code error}, {@code config} and {@code route}.
 */
package gaming.gateway.legacy;
