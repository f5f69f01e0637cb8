package gaming.gateway;

import gaming.gateway.http.Admission;
import gaming.gateway.admin.AdminService;
import gaming.gateway.admin.AdminSettings;
import gaming.gateway.migration.LiveMigrations;
import gaming.gateway.migration.Migrations;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.http.NotFoundFeature;
import gaming.gateway.http.PathMeters;
import gaming.gateway.http.ProblemDirectHandler;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.observe.AccessLog;
import gaming.gateway.observe.GatewayMetrics;
import gaming.gateway.observe.HealthService;
import gaming.gateway.observe.NatsHealth;
import gaming.gateway.observe.RouteMetrics;
import gaming.gateway.route.Route;
import gaming.gateway.serve.RouteService;
import gaming.gateway.stream.ActiveStreams;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.upstream.NatsUpstream;
import gaming.gateway.upstream.Upstream;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.ObserveFeatureConfig;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running gateway: the NATS connection and the web server with one route service per entry of
 * the route table. {@link #start(Config)} is what {@link Main} and the tests call.
 */
public final class Gateway implements AutoCloseable {
    private static final String OBSERVE_METRICS = "/observe/metrics";
    private static final String ADMIN_SOCKET = "admin";

    private final WebServer server;
    private final NatsClient nats;
    private final ActiveStreams streams;
    private final GatewayMetrics metrics;
    private final Admission admission;
    private final Migrations migrations;
    private final LiveMigrations live;
    private final boolean adminOn;
    private final Duration stopDelay;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();

    private Gateway(WebServer server, Parts parts) {
        this.server = server;
        this.nats = parts.nats();
        this.streams = parts.streams();
        this.metrics = parts.metrics();
        this.admission = parts.admission();
        this.migrations = parts.migrations();
        this.live = parts.live();
        this.adminOn = parts.adminOn();
        this.stopDelay = parts.settings().shutdownDelay();
    }

    /**
     * Validates the configuration, starts connecting to NATS (in the background: the gateway
     * serves {@code /health} while NATS is down) and starts the web server.
     *
     * @param config the root configuration (nodes {@code server} and {@code gateway})
     */
    public static Gateway start(Config config) {
        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));
        IdentityResolver identity = IdentityResolver.create(settings.identity());
        NatsClient nats = NatsClient.start(settings.nats());
        ActiveStreams streams = new ActiveStreams(settings.streams().maxConcurrent());
        GatewayMetrics metrics = GatewayMetrics.create(settings.metrics(), AccessLog.create(settings.accessLog()));
        metrics.bind(nats::connected, nats::statistics, streams::count);
        try {
            Map<String, RouteMetrics> meters = new HashMap<>();
            PathMeters byPath = new PathMeters(metrics.noRoute());
            for (Route route : settings.routes().routes()) {
                RouteMetrics m = metrics.route(route.name(), route.stream().isPresent());
                meters.put(route.name(), m);
                byPath.add(route.path(), m);
            }
            Admission admission = new Admission(settings.maxInFlight(), byPath);
            Migrations migrations = Migrations.create(config.get("gateway"), settings.routes(), metrics);
            LiveMigrations live = LiveMigrations.start(migrations, nats, config.get("gateway.migration.kv-bucket").asString()
                    .orElse(LiveMigrations.DEFAULT_BUCKET));
            AdminSettings adminSettings = AdminSettings.create(config.get("gateway.admin"));
            Parts parts = new Parts(settings, nats, streams, identity, metrics, meters, admission, migrations, live,
                                    adminSettings.enabled());
            ObserveFeatureConfig.Builder observe = ObserveFeature.builder()
                    .addObserver(HealthObserver.builder()
                                         .details(true)
                                         .addCheck(new NatsHealth(nats::connected, admission::ready))
                                         .build());
            metrics.registry().ifPresent(registry -> observe.addObserver(MetricsObserver.builder()
                                                                                 .meterRegistry(registry)
                                                                                 .build()));
            WebServer server = WebServer.builder()
                    .config(config.get("server"))
                    .shutdownGracePeriod(settings.shutdownGrace())
                    .shutdownHook(false)
                    .directHandlers(ProblemDirectHandler.handlers())
                    .addFeature(observe.build())
                    .routing(routing -> routing(routing, parts))
                    .update(builder -> admin(builder, config, adminSettings, parts))
                    .build()
                    .start();
            return new Gateway(server, parts);
        } catch (RuntimeException e) {
            metrics.close();
            nats.close();
            throw e;
        }
    }

    /** The running pieces a gateway's routing is made of. */
    record Parts(GatewaySettings settings, NatsClient nats, ActiveStreams streams, IdentityResolver identity,
                 GatewayMetrics metrics, Map<String, RouteMetrics> routeMetrics, Admission admission,
                 Migrations migrations, LiveMigrations live, boolean adminOn) {
    }

    /**
     * The admin listener ({@code gateway.admin.port}, on the public listener's host) with the admin
     * endpoints, when a token is configured; else nothing (no admin port at all).
     */
    private static void admin(WebServerConfig.Builder builder, Config config, AdminSettings admin, Parts parts) {
        if (!admin.enabled()) {
            return;
        }
        builder.putSocket(ADMIN_SOCKET, socket -> socket
                .host(config.get("server.host").asString().orElse("0.0.0.0"))
                .port(admin.port())
                .routing(routing -> {
                    ErrorHandlers.register(routing);
                    routing.register(AdminService.create(admin, parts.migrations(), parts.live()));
                }));
    }

    /** Registers every route of the table, {@code /health}, {@code /metrics} and the error handlers on {@code routing}. */
    static void routing(HttpRouting.Builder routing, Parts parts) {
        GatewaySettings settings = parts.settings();
        ErrorHandlers.register(routing);
        routing.addFilter(parts.admission());
        routing.register("/health", new HealthService(parts.nats()::connected, settings.routes().size(), parts.admission()::ready));
        if (parts.metrics().registry().isPresent()) {
            // Prometheus' conventional path, beside Helidon's /observe/metrics
            routing.get("/metrics", (req, res) -> res.reroute(OBSERVE_METRICS, req.query()));
        }
        for (Route route : settings.routes().routes()) {
            Upstream upstream = NatsUpstream.create(route, parts.nats(), settings.streams().maxPendingMessages(),
                                                    settings.streams().maxPendingBytes());
            SseRelay relay = route.stream().isPresent()
                    ? SseRelay.create(route, upstream, settings.streams(), parts.streams())
                    : null;
            routing.register(RouteService.create(route, upstream, settings.maxBodyBytes(), relay, parts.identity(),
                                                 parts.routeMetrics().get(route.name()),
                                                 parts.migrations().route(route.name())));
        }
        routing.addFeature(() -> NotFoundFeature.counting(parts.metrics().noRoute()));
    }

    /** How many SSE streams are open now. */
    public int activeStreams() {
        return streams.count();
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The admin listener's port; -1 when the admin endpoints are off (no token). */
    public int adminPort() {
        return adminOn ? server.port(ADMIN_SOCKET) : -1;
    }

    /** Whether the NATS connection is up. */
    public boolean natsConnected() {
        return nats.connected();
    }

    /**
     * Graceful shutdown, for SIGTERM: readiness and {@code /health} turn 503 at once; after
     * {@code gateway.shutdown-delay-millis} (0) new requests are refused, open streams end with an
     * {@code UNAVAILABLE} error event and their generations are cancelled, the listener stops
     * taking connections and in-flight requests finish within {@code gateway.shutdown-grace-seconds}
     * (30); then the NATS connection drains.
     */
    public void shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return;
        }
        admission.stopping();
        if (!stopDelay.isZero()) {
            try {
                Thread.sleep(stopDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        admission.drain();
        nats.ifConnected(connection -> streams.shutdown());
        close();
    }

    /** Stops the web server (in-flight requests get the shutdown grace), then drains and closes NATS. */
    @Override
    public void close() {
        server.stop();
        live.close();
        migrations.close();
        metrics.close();
        nats.close();
    }
}
