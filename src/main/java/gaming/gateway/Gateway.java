package gaming.gateway;

import gaming.gateway.error.ErrorHandlers;
import gaming.gateway.error.NotFoundFeature;
import gaming.gateway.error.ProblemDirectHandler;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.identity.IdentitySettings;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.nats.NatsSettings;
import gaming.gateway.observe.AccessLog;
import gaming.gateway.observe.GatewayMetrics;
import gaming.gateway.observe.HealthService;
import gaming.gateway.observe.NatsHealth;
import gaming.gateway.route.Route;
import gaming.gateway.route.RouteService;
import gaming.gateway.route.RouteTable;
import gaming.gateway.stream.ActiveStreams;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.stream.StreamSettings;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.ObserveFeatureConfig;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running gateway: the NATS connection and the web server with one route service per entry of
 * the route table. {@link #start(Config)} is what {@link Main} and the tests call.
 */
public final class Gateway implements AutoCloseable {
    private static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    private static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    private static final String OBSERVE_METRICS = "/observe/metrics";

    private final WebServer server;
    private final NatsClient nats;
    private final ActiveStreams streams;
    private final GatewayMetrics metrics;
    private final Admission admission;
    private final Duration stopDelay;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();

    private Gateway(WebServer server, NatsClient nats, ActiveStreams streams, GatewayMetrics metrics,
                    Admission admission, Duration stopDelay) {
        this.server = server;
        this.nats = nats;
        this.streams = streams;
        this.metrics = metrics;
        this.admission = admission;
        this.stopDelay = stopDelay;
    }

    /**
     * Validates the configuration, starts connecting to NATS (in the background: the gateway
     * serves {@code /health} while NATS is down) and starts the web server.
     *
     * @param config the root configuration (nodes {@code server} and {@code gateway})
     */
    public static Gateway start(Config config) {
        Config gateway = config.get("gateway");
        NatsSettings natsSettings = NatsSettings.create(gateway.get("nats"));
        RouteTable table = RouteTable.create(gateway, natsSettings.requestTimeout());
        long maxBodyBytes = gateway.get("max-body-bytes").asLong().orElse(DEFAULT_MAX_BODY_BYTES);
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("gateway.max-body-bytes (MAX_BODY_BYTES) must be > 0");
        }
        StreamSettings streamSettings = StreamSettings.create(gateway.get("stream"));
        IdentityResolver identity = IdentityResolver.create(IdentitySettings.create(gateway.get("identity")));
        NatsClient nats = NatsClient.start(natsSettings);
        ActiveStreams streams = new ActiveStreams(streamSettings.maxConcurrent());
        Admission admission = new Admission(gateway.get("max-in-flight").asInt().orElse(DEFAULT_MAX_IN_FLIGHT));
        Duration grace = Duration.ofSeconds(gateway.get("shutdown-grace-seconds").asLong().orElse(30L));
        Duration stopDelay = Duration.ofMillis(gateway.get("shutdown-delay-millis").asLong().orElse(0L));
        GatewayMetrics metrics = GatewayMetrics.create(
                gateway.get("metrics.enabled").asBoolean().orElse(true),
                AccessLog.create(gateway.get("access-log.enabled").asBoolean().orElse(true)));
        metrics.bind(nats, streams);
        try {
            ObserveFeatureConfig.Builder observe = ObserveFeature.builder()
                    .addObserver(HealthObserver.builder()
                                         .details(true)
                                         .addCheck(new NatsHealth(nats, admission::ready))
                                         .build());
            metrics.registry().ifPresent(registry -> observe.addObserver(MetricsObserver.builder()
                                                                                 .meterRegistry(registry)
                                                                                 .build()));
            WebServer server = WebServer.builder()
                    .config(config.get("server"))
                    .shutdownGracePeriod(grace)
                    .shutdownHook(false)
                    .directHandlers(ProblemDirectHandler.handlers())
                    .addFeature(observe.build())
                    .routing(routing -> routing(routing, table, nats, maxBodyBytes, streamSettings, streams, identity,
                                                metrics, admission))
                    .build()
                    .start();
            return new Gateway(server, nats, streams, metrics, admission, stopDelay);
        } catch (RuntimeException e) {
            metrics.close();
            nats.close();
            throw e;
        }
    }

    /** Registers every route of {@code table}, {@code /health} and the error handlers on {@code routing}. */
    public static void routing(HttpRouting.Builder routing, RouteTable table, NatsClient nats, long maxBodyBytes,
                               StreamSettings streamSettings, ActiveStreams streams, IdentityResolver identity,
                               GatewayMetrics metrics, Admission admission) {
        ErrorHandlers.register(routing);
        routing.addFilter(admission);
        routing.register("/health", new HealthService(nats, table.size(), admission::ready));
        if (metrics.registry().isPresent()) {
            // Prometheus' conventional path, beside Helidon's /observe/metrics
            routing.get("/metrics", (req, res) -> res.reroute(OBSERVE_METRICS, req.query()));
        }
        for (Route route : table.routes()) {
            SseRelay relay = route.stream().isPresent() ? SseRelay.create(route, nats, streamSettings, streams) : null;
            routing.register(RouteService.create(route, nats, maxBodyBytes, relay, identity, metrics.route(route)));
        }
        routing.addFeature(() -> NotFoundFeature.counting(metrics.noRoute()));
    }

    /** How many SSE streams are open now. */
    public int activeStreams() {
        return streams.count();
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
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
        nats.ifConnected(streams::shutdown);
        close();
    }

    /** Stops the web server (in-flight requests get the shutdown grace), then drains and closes NATS. */
    @Override
    public void close() {
        server.stop();
        metrics.close();
        nats.close();
    }
}
