/**
 * Running a route's migration from its legacy HTTP service to NATS: the route's {@code migration}
 * block ({@link gaming.gateway.migration.MigrationSettings}: mode {@code nats | legacy | shadow |
 * split}, percent, primary, sticky key, fallback, compared paths), the sticky split
 * ({@link gaming.gateway.migration.Sticky}), the structural comparison of two answers with noise
 * subtracted ({@link gaming.gateway.migration.JsonDiff}, {@link gaming.gateway.migration.MigrationStats}),
 * the bounded background pool of shadow copies ({@link gaming.gateway.migration.Shadows}) and the
 * per-route decision and proxying ({@link gaming.gateway.migration.RouteMigration}), with the
 * settings changed at run time ({@link gaming.gateway.migration.Migrations}) and shared by every
 * instance through a JetStream key-value bucket ({@link gaming.gateway.migration.LiveMigrations}).
 *
 * <p>Layer 3: may use {@code error}, {@code config}, {@code route}, {@code transcode}, {@code observe},
 * {@code identity}, {@code nats}, {@code upstream} and {@code legacy}.
 */
package gaming.gateway.migration;
