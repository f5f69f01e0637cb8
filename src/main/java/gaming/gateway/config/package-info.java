/**
 * Where the configuration comes from: {@code application.yaml}, an external file and the
 * environment variables of {@link gaming.gateway.config.EnvOverrides}; and
 * {@link gaming.gateway.config.Redact}, the secret-safe text of settings that hold credentials.
 *
 * <p>Layer 0: imports nothing from the gateway; each package reads its own node into its own
 * settings record.
 */
package gaming.gateway.config;
