package gaming.gateway.migration;

import gaming.gateway.error.GatewayException;
import gaming.gateway.legacy.LegacyClients;
import gaming.gateway.legacy.LegacySpec;
import gaming.gateway.observe.GatewayMetrics;
import gaming.gateway.observe.MigrationMeters;
import gaming.gateway.route.Route;
import gaming.gateway.route.RouteTable;

import com.google.gson.JsonObject;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The routes in migration (those with a {@code legacy} block) and the pieces they share: the legacy
 * clients, the shadow pool and the split's salt, from {@code gateway.migration}. Empty when no route
 * has a {@code legacy} block: then nothing here runs on any request.
 */
public final class Migrations implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    private final Map<String, RouteMigration> routes;
    private final Shadows shadows;

    private Migrations(Map<String, RouteMigration> routes, Shadows shadows) {
        this.routes = routes;
        this.shadows = shadows;
    }

    /**
     * The migrations of {@code table}'s routes, from the {@code legacy} and {@code migration} blocks of
     * {@code gateway.routes} and the shared keys of {@code gateway.migration}: {@code salt} (""),
     * {@code shadow-max-concurrent} (16), {@code shadow-max-queued} (256),
     * {@code legacy-connect-timeout-millis} (2000), {@code legacy-pool-size} (32 idle connections per base URL).
     *
     * @throws gaming.gateway.route.RouteConfigException for an invalid block, named by route
     */
    public static Migrations create(Config gateway, RouteTable table, GatewayMetrics metrics) {
        Map<String, Config> entries = new LinkedHashMap<>();
        for (Config entry : gateway.get("routes").asNodeList().orElse(List.of())) {
            String path = entry.get("path").asString().orElse("");
            entries.put(entry.get("name").asString().orElse(path), entry);
        }
        Map<String, RouteMigration> routes = new LinkedHashMap<>();
        Config shared = gateway.get("migration");
        Shadows shadows = null;
        LegacyClients clients = null;
        String salt = shared.get("salt").asString().orElse("");
        for (Route route : table.routes()) {
            Config entry = entries.get(route.name());
            if (entry == null) {
                continue;
            }
            Config legacyNode = entry.get("legacy");
            MigrationSettings settings = MigrationSettings.create(entry.get("migration"), legacyNode.exists(), route.name());
            if (!legacyNode.exists()) {
                continue;
            }
            if (shadows == null) {
                shadows = Shadows.create(shared.get("shadow-max-concurrent").asInt().orElse(16),
                                         shared.get("shadow-max-queued").asInt().orElse(256));
                clients = LegacyClients.create(Duration.ofMillis(shared.get("legacy-connect-timeout-millis").asLong().orElse(2000L)),
                                               shared.get("legacy-pool-size").asInt().orElse(32));
            }
            LegacySpec legacy = LegacySpec.create(legacyNode, route.name());
            routes.put(route.name(), new RouteMigration(route.name(), legacy, settings, clients, shadows, salt,
                                                        MigrationMeters.create(metrics, route.name())));
        }
        return new Migrations(java.util.Collections.unmodifiableMap(routes), shadows);
    }

    /** The migration of route {@code name}; null when the route has no {@code legacy} block. */
    public RouteMigration route(String name) {
        return routes.get(name);
    }

    /** Whether any route has a {@code legacy} block. */
    public boolean any() {
        return !routes.isEmpty();
    }

    /** Every route in migration, by name, in route-table order. */
    public Map<String, RouteMigration> routes() {
        return routes;
    }

    /**
     * Applies {@code change} (the JSON of a {@code PUT /admin/migration/{route}}) to route {@code name}
     * on this instance and logs it.
     *
     * @param who the name of whoever asked, for the log
     * @return the settings now in force
     * @throws GatewayException 404 for a route not in migration, 400 for an invalid change
     */
    public MigrationSettings applyLocally(String name, JsonObject change, String who) {
        RouteMigration route = require(name);
        MigrationSettings next = route.settings().with(change, true);
        route.apply(next);
        LOG.info(() -> "migration of route " + name + " changed by " + who + ": " + change + " -> " + next.changeJson());
        return next;
    }

    /**
     * Sets route {@code name} to {@code stored} (a live change seen in the shared store), relative to
     * the route table's defaults; an invalid value is logged and ignored.
     */
    public void applyStored(String name, JsonObject stored) {
        RouteMigration route = routes.get(name);
        if (route == null) {
            return;
        }
        try {
            MigrationSettings next = route.defaults().with(stored, true);
            if (!next.equals(route.settings())) {
                LOG.info(() -> "migration of route " + name + " changed through the shared bucket: " + next.changeJson());
            }
            route.apply(next);
        } catch (GatewayException e) {
            LOG.warning("ignored stored migration of route " + name + ": " + e.getMessage());
        }
    }

    /** Puts route {@code name} back to its route-table settings. */
    public void reset(String name) {
        RouteMigration route = routes.get(name);
        if (route != null) {
            route.apply(route.defaults());
        }
    }

    /** The route in migration called {@code name}. @throws GatewayException 404 when there is none */
    public RouteMigration require(String name) {
        RouteMigration route = routes.get(name);
        if (route == null) {
            throw GatewayException.notFound("/admin/migration/" + name);
        }
        return route;
    }

    /** Every route in migration with its settings and counts: the body of {@code GET /admin/migration}. */
    public JsonObject toJson() {
        JsonObject out = new JsonObject();
        JsonObject list = new JsonObject();
        routes.forEach((name, r) -> list.add(name, r.toJson()));
        out.add("routes", list);
        return out;
    }

    @Override
    public void close() {
        if (shadows != null) {
            shadows.close();
        }
    }
}
