/**
 * The admin endpoints on their own port ({@code gateway.admin.port}, {@code ADMIN_PORT}, default
 * 8001; never the public one): {@code GET /admin/migration}, {@code PUT /admin/migration/{route}}
 * and the console page {@code GET /admin/}, behind {@code Authorization: Bearer} with the token of
 * {@code GATEWAY_ADMIN_TOKEN} ({@link gaming.gateway.admin.AdminSettings}); without a token there is
 * no admin listener at all.
 *
 * <p>Layer 4: may use every package below it; only the wiring class {@link gaming.gateway.Gateway}
 * uses it.
 */
package gaming.gateway.admin;
