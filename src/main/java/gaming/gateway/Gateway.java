package gaming.gateway;

import gaming.gateway.connection.ConnectionFilter;
import gaming.gateway.connection.ConnectionGuard;
import gaming.gateway.connection.ConnectionSettings;
import gaming.gateway.connection.ListenerWatch;
import gaming.gateway.admin.AdminService;
import gaming.gateway.admin.AdminSettings;
import gaming.gateway.http.Admission;
import gaming.gateway.http.EdgeFilter;
import gaming.gateway.compress.CompressionSettings;
import gaming.gateway.compress.ResponseCompression;
import gaming.gateway.cors.CorsSettings;
import gaming.gateway.ratelimit.RateLimitSettings;
import gaming.gateway.ratelimit.RouteRateLimit;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.http.NotFoundFeature;
import gaming.gateway.http.PathMeters;
import gaming.gateway.http.ProblemDirectHandler;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.idempotency.IdempotencyGuard;
import gaming.gateway.idempotency.IdempotencyStore;
import gaming.gateway.migration.LiveMigrations;
import gaming.gateway.migration.Migrations;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.observe.AccessLog;
import gaming.gateway.observe.GatewayMetrics;
import gaming.gateway.observe.HealthService;
import gaming.gateway.observe.MetricsHead;
import gaming.gateway.observe.NatsHealth;
import gaming.gateway.observe.RouteMetrics;
import gaming.gateway.openapi.OpenApiService;
import gaming.gateway.route.IdempotencyMode;
import gaming.gateway.route.Route;
import gaming.gateway.serve.RouteService;
import gaming.gateway.stream.ActiveStreams;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.tracing.Tracing;
import gaming.gateway.http.TracingFilter;
import gaming.gateway.upstream.NatsUpstream;
import gaming.gateway.upstream.Upstream;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.ObserveFeatureConfig;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    private static final System.Logger LOGGER = System.getLogger(Gateway.class.getName());

    private volatile WebServer server;
    private final int port;
    private final ConnectionGuard connections;
    private final ListenerWatch listenerWatch;
    private final Config config;
    private final Parts parts;
    private final ObserveFeatureConfig.Builder observe;
    private final NatsClient nats;
    private final ActiveStreams streams;
    private final GatewayMetrics metrics;
    private final Admission admission;
    private final IdempotencyStore idempotency;
    private final Migrations migrations;
    private final LiveMigrations live;
    private final WebServer adminServer;
    private final Duration stopDelay;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();

    private Gateway(WebServer server, WebServer adminServer, ConnectionGuard connections, Parts parts, Config config,
                    ObserveFeatureConfig.Builder observe) {
        this.server = server;
        this.port = server.port();
        this.connections = connections;
        this.config = config;
        this.parts = parts;
        this.observe = observe;
        this.listenerWatch = ListenerWatch.install(() -> port, this::recoverListener);
        this.nats = parts.nats();
        this.streams = parts.streams();
        this.metrics = parts.metrics();
        this.admission = parts.admission();
        this.idempotency = parts.idempotency();
        this.migrations = parts.migrations();
        this.live = parts.live();
        this.adminServer = adminServer;
        this.stopDelay = parts.settings().shutdownDelay();
    }

    /**
     * Validates the configuration, starts connecting to NATS (in the background: the gateway
     * serves {@code /health} while NATS is down) and starts the web server.
     *
     * @param config the root configuration (nodes {@code server} and {@code gateway})
     * @throws IllegalStateException when {@code server.port} ({@code PORT}) or, with an admin token,
     *                               {@code gateway.admin.port} ({@code ADMIN_PORT}) cannot be listened
     *                               on (checked first), or the web server does not start
     */
    public static Gateway start(Config config) {
        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));
        String host = config.get("server.host").asString().orElse("0.0.0.0");
        checkListenable(host, config.get("server.port").asInt().orElse(0), "", "PORT");
        AdminSettings adminSettings = AdminSettings.create(config.get("gateway.admin"));
        if (adminSettings.enabled()) {
            int port = config.get("server.port").asInt().orElse(0);
            if (port > 0 && adminSettings.port() == port) {
                throw new IllegalStateException("ADMIN_PORT and PORT are both " + port
                                                        + ": the admin endpoints need a port of their own");
            }
            checkListenable(host, adminSettings.port(), " for the admin endpoints", "ADMIN_PORT");
        }
        IdentityResolver identity = IdentityResolver.create(settings.identity());
        NatsClient nats = NatsClient.start(settings.nats());
        ActiveStreams streams = new ActiveStreams(settings.streams().maxConcurrent());
        GatewayMetrics metrics = GatewayMetrics.create(settings.metrics(), AccessLog.create(settings.accessLog()));
        metrics.bind(nats::connected, nats::statistics, nats::outstandingRequests, streams::count);
        Tracing tracing = Tracing.OFF;
        Migrations migrations = null;
        LiveMigrations live = null;
        WebServer adminServer = null;
        try {
            tracing = Tracing.create(config.get("gateway.tracing"));
            metrics.bindTracing(tracing::droppedSpans);
            Map<String, RouteMetrics> meters = new HashMap<>();
            PathMeters byPath = new PathMeters(metrics.noRoute());
            for (Route route : settings.routes().routes()) {
                RouteMetrics m = metrics.route(route.name(), route.stream().isPresent());
                meters.put(route.name(), m);
                byPath.add(route.path(), m);
            }
            Admission admission = new Admission(settings.maxInFlight(), byPath);
            IdempotencyStore idempotency = idempotencyStore(settings, nats);
            migrations = Migrations.create(config.get("gateway"), settings.routes(), metrics);
            live = LiveMigrations.start(migrations, nats, config.get("gateway.migration.kv-bucket").asString()
                    .orElse(LiveMigrations.DEFAULT_BUCKET));
            Parts parts = new Parts(settings, nats, streams, identity, metrics, meters, byPath, admission, idempotency,
                                    ResponseCompression.create(CompressionSettings.create(config.get("gateway.compression"))),
                                    RateLimitSettings.ofRoutes(config.get("gateway")), tracing, migrations, live);
            ObserveFeatureConfig.Builder observe = ObserveFeature.builder()
                    .addObserver(HealthObserver.builder()
                                         .details(true)
                                         .addCheck(new NatsHealth(nats::connected, admission::ready))
                                         .build());
            metrics.registry().ifPresent(registry -> observe.addObserver(MetricsObserver.builder()
                                                                                 .meterRegistry(registry)
                                                                                 .build()));
            ConnectionGuard connections = ConnectionGuard.create(
                    config.get("server"), ConnectionSettings.create(config.get("gateway").get("connections")));
            adminServer = adminServer(config, adminSettings, parts);
            WebServer server = newServer(config, parts, connections, observe.build(), -1);
            metrics.bindConnections(connections::open, connections::headerTimeouts, connections::beyondCap,
                                    connections::clientGone);
            return new Gateway(server, adminServer, connections, parts, config, observe);
        } catch (RuntimeException e) {
            if (adminServer != null) {
                adminServer.stop();
            }
            if (live != null) {
                live.close();
            }
            if (migrations != null) {
                migrations.close();
            }
            metrics.close();
            tracing.close();
            nats.close();
            throw e;
        }
    }

    /**
     * Fails at once, before NATS or anything else is set up, when {@code port} on {@code host} cannot
     * be listened on (in use, or privileged): one line naming the address, the reason and the
     * variable that sets the port, where Helidon would log a stack trace after the whole set-up.
     * Port 0 (any free port) is not checked. A port taken between this check and the server's
     * start still fails, with {@link #newServer}'s message.
     *
     * @throws IllegalStateException e.g. {@code cannot listen on 0.0.0.0:8000 (Address already in use); set PORT to use another port}
     */
    private static void checkListenable(String host, int port, String purpose, String variable) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + purpose + " (" + e.getMessage()
                                                    + "); set " + variable + " to use another port");
        }
    }

    /** A started web server with the gateway's routing, on {@code port} (-1: as configured). */
    private static WebServer newServer(Config config, Parts parts, ConnectionGuard connections, ObserveFeature observe,
                                       int port) {
        WebServerConfig.Builder builder = WebServer.builder()
                .config(ConnectionGuard.withoutProtocols(config.get("server")))
                .shutdownGracePeriod(parts.settings().shutdownGrace())
                .shutdownHook(false)
                .directHandlers(ProblemDirectHandler.handlers())
                .addFeature(observe);
        CorsSettings.create(config.get("gateway")).feature().ifPresent(builder::addFeature);
        if (port >= 0) {
            builder.port(port);
        }
        WebServer server = connections.installOn(builder)
                .routing(routing -> routing(routing.addFilter(new ConnectionFilter(connections, parts.pathMeters())), parts))
                .build()
                .start();
        if (!server.isRunning()) {
            // Helidon logs why (e.g. the port is in use) and returns a stopped server
            throw new IllegalStateException("the web server did not start on " + config.get("server.host").asString()
                    .orElse("0.0.0.0") + ":" + (port >= 0 ? port : config.get("server.port").asInt().orElse(-1))
                    + " (the log line before this one says why, e.g. the port is in use)");
        }
        return server;
    }

    /**
     * The admin web server ({@code gateway.admin.port}, on the public listener's host) with the admin
     * endpoints, when a token is configured; else null (no admin port at all). A server of its own,
     * so that nothing admin answers on the public port and a restart of the public listener leaves
     * it alone.
     */
    private static WebServer adminServer(Config config, AdminSettings admin, Parts parts) {
        if (!admin.enabled()) {
            return null;
        }
        WebServer server = WebServer.builder()
                .host(config.get("server.host").asString().orElse("0.0.0.0"))
                .port(admin.port())
                .shutdownHook(false)
                .routing(routing -> {
                    ErrorHandlers.register(routing);
                    routing.register(AdminService.create(admin, parts.migrations(), parts.live()));
                })
                .build()
                .start();
        if (!server.isRunning()) {
            throw new IllegalStateException("the admin web server did not start on port " + admin.port()
                    + " (the log line before this one says why, e.g. the port is in use)");
        }
        return server;
    }

    /**
     * Helidon's listener ended (its accept loop gives up on any error, even a transient "Too many
     * open files"): a new server on the same port, retried every second. While there is none, the
     * port refuses connections, so load-balancer and orchestrator probes fail and the task is
     * replaced if this never succeeds.
     */
    private void recoverListener() {
        if (shutdownStarted.get()) {
            return;
        }
        WebServer dead = server;
        int port = this.port;
        LOGGER.log(System.Logger.Level.ERROR, "the HTTP listener on port " + port + " died; starting a new one");
        Thread.ofVirtual().start(dead::stop); // may block on the dead listener's thread
        for (int attempt = 1; attempt <= 600 && !shutdownStarted.get(); attempt++) {
            try {
                server = newServer(config, parts, connections, observe.build(), port);
                LOGGER.log(System.Logger.Level.WARNING, "HTTP listener on port " + port + " restarted (attempt " + attempt + ")");
                return;
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "HTTP listener restart failed: " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * The running pieces a gateway's routing is made of ({@code idempotency} null when no route
     * enforces; {@code migrations} empty when no route has a {@code legacy} block).
     */
    record Parts(GatewaySettings settings, NatsClient nats, ActiveStreams streams, IdentityResolver identity,
                 GatewayMetrics metrics, Map<String, RouteMetrics> routeMetrics, PathMeters pathMeters,
                 Admission admission, IdempotencyStore idempotency, ResponseCompression compression,
                 Map<String, RateLimitSettings> rateLimits, Tracing tracing, Migrations migrations,
                 LiveMigrations live) {
    }

    /** The shared idempotency bucket, opened in the background, when a route enforces; else null. */
    private static IdempotencyStore idempotencyStore(GatewaySettings settings, NatsClient nats) {
        boolean enforced = settings.routes().routes().stream()
                .anyMatch(r -> r.idempotency().mode() == IdempotencyMode.ENFORCE);
        if (!enforced) {
            return null;
        }
        IdempotencyStore store = IdempotencyStore.create(nats, settings.idempotency());
        store.openInBackground();
        return store;
    }

    private static IdempotencyGuard idempotencyGuard(Route route, Parts parts) {
        if (route.idempotency().mode() != IdempotencyMode.ENFORCE) {
            return IdempotencyGuard.none(route.idempotency());
        }
        return IdempotencyGuard.enforce(route.idempotency(), route.name(), route.timeout(), route.request(),
                                        parts.idempotency(), parts.metrics().registry().orElse(null));
    }

    /**
     * Registers every route of the table, {@code /health}, {@code /metrics}, {@code /openapi.json},
     * {@code /openapi.yaml}, {@code /docs} and the error handlers on {@code routing}.
     */
    static void routing(HttpRouting.Builder routing, Parts parts) {
        GatewaySettings settings = parts.settings();
        ErrorHandlers.register(routing);
        routing.addFilter(new EdgeFilter(parts.metrics().noRoute()));
        if (parts.tracing().enabled()) {
            TracingFilter spans = new TracingFilter(parts.tracing());
            settings.routes().routes().forEach(route -> spans.add(route.path()));
            routing.addFilter(spans);
        }
        routing.addFilter(parts.admission());
        routing.register("/health", new HealthService(parts.nats()::connected, settings.routes().size(), parts.admission()::ready))
                .any("/health", ErrorHandlers::getOrHeadOnly);
        if (parts.metrics().registry().isPresent()) {
            // Prometheus' conventional path, beside Helidon's /observe/metrics
            MetricsHead head = MetricsHead.create(parts.metrics().registry().get());
            routing.get("/metrics", (req, res) -> res.reroute(OBSERVE_METRICS, req.query()))
                    .head("/metrics", head)
                    .head(OBSERVE_METRICS, head)   // Helidon's observer serves GET only
                    .any("/metrics", ErrorHandlers::getOrHeadOnly);
        }
        for (Route route : settings.routes().routes()) {
            Upstream upstream = NatsUpstream.create(route, parts.nats(), settings.streams().maxPendingMessages(),
                                                    settings.streams().maxPendingBytes(), parts.tracing());
            SseRelay relay = route.stream().isPresent()
                    ? SseRelay.create(route, upstream, settings.streams(), parts.streams())
                    : null;
            routing.register(RouteService.create(route, upstream, settings.maxBodyBytes(), relay, parts.identity(),
                                                 parts.routeMetrics().get(route.name()), idempotencyGuard(route, parts),
                                                 parts.compression(),
                                                 RouteRateLimit.create(route.name(), parts.rateLimits().get(route.name())),
                                                 parts.migrations().route(route.name())));
        }
        routing.register(OpenApiService.create(settings.routes(), settings.identity().mode()));
        routing.addFeature(() -> NotFoundFeature.counting(parts.metrics().noRoute()));
        routing.addFeature(() -> NotFoundFeature.beforeCors(parts.metrics().noRoute()));
    }

    /** How many SSE streams are open now. */
    public int activeStreams() {
        return streams.count();
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** Whether the idempotency bucket is open; true when no route enforces idempotency. */
    public boolean idempotencyStoreOpen() {
        return idempotency == null || idempotency.isOpen();
    }

    /** The admin listener's port; -1 when the admin endpoints are off (no token). */
    public int adminPort() {
        return adminServer == null ? -1 : adminServer.port();
    }

    /** Whether the NATS connection is up. */
    public boolean natsConnected() {
        return nats.connected();
    }

    /**
     * Graceful shutdown, for SIGTERM: readiness and {@code /health} turn 503 at once; after
     * {@code gateway.shutdown-delay-millis} (0) new requests are refused, open streams end with an
     * {@code UNAVAILABLE} error event and their generations are cancelled, the listener stops
     * taking connections, a request arriving on an open connection gets 503 with
     * {@code Connection: close} (connections idle for 1 s are closed), in-flight requests finish
     * within {@code gateway.shutdown-grace-seconds} (30); then the NATS connection drains.
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
        // keep-alive connections are not cut when the listener stops: the next request on each gets
        // 503 with Connection: close, so a request sent just after SIGTERM is answered instead of
        // meeting a closed socket; a connection with no request for 1 s is closed then
        connections.drain();
        close();
    }

    /** Stops the web server (in-flight requests get the shutdown grace), then drains and closes NATS. */
    @Override
    public void close() {
        shutdownStarted.set(true);
        listenerWatch.close();
        server.stop();
        if (adminServer != null) {
            adminServer.stop();
        }
        connections.stop();
        live.close();
        migrations.close();
        metrics.close();
        parts.tracing().close();
        nats.close();
    }
}
