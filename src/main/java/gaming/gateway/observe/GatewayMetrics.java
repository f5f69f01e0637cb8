package gaming.gateway.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;
import io.nats.client.Statistics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The gateway's meters, in Helidon's process-wide {@link MeterRegistry} (from the service
 * registry), scraped by Helidon's metrics observer. Every meter of a route is resolved once, at
 * start-up, in {@link RouteMetrics}; the request path only increments and records.
 *
 * <p>Counters and timers are shared by every gateway of a JVM (tests start several, one after
 * the other); the gauges read this gateway's NATS connection and streams, so {@link #close()}
 * removes them for the next gateway to register its own.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** Route label of requests that matched no route (404). */
    public static final String NO_ROUTE = "none";

    /** Histogram buckets of every duration: 0.25 ms to 30 s. */
    static final Duration[] BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final AccessLog accessLog;
    private final LongAdder inFlight = new LongAdder();
    private final List<Meter> owned = new CopyOnWriteArrayList<>();
    /** The state objects of this gateway's function counters: Micrometer holds them only weakly. */
    private final List<Object> counterStates = new CopyOnWriteArrayList<>();

    private GatewayMetrics(MeterRegistry registry, AccessLog accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
        if (registry != null) {
            own(Gauge.builder("gateway.requests.in.flight", inFlight, LongAdder::doubleValue)
                        .description("HTTP requests being handled now (streams included)"));
            own(FunctionalCounter.builder("gateway.access.log.dropped", AccessLogHandler.class, h -> AccessLogHandler.dropped())
                        .description("access log lines dropped because stdout could not keep up"));
        }
    }

    /**
     * Meters in a new registry when {@code enabled}, else no meters at all (only the access log).
     *
     * @param accessLog where each request's line goes
     */
    public static GatewayMetrics create(boolean enabled, AccessLog accessLog) {
        if (!enabled) {
            return new GatewayMetrics(null, accessLog);
        }
        MeterRegistry registry = Services.get(MeterRegistry.class);
        JvmMetrics.bindOnce(registry);
        return new GatewayMetrics(registry, accessLog);
    }

    /** The registry the metrics observer serves; empty when metrics are off. */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /**
     * Gauges and counters that read the NATS connection and the stream count when scraped.
     *
     * @param natsConnected   whether the NATS connection is up now
     * @param natsStatistics  the connection's counters, or null before the first connect
     * @param natsOutstanding NATS requests waiting for their reply now, as the gateway counts them
     *                        (never negative, unlike jnats' own counter)
     * @param activeStreams   how many SSE streams are open now
     */
    public void bind(BooleanSupplier natsConnected, Supplier<Statistics> natsStatistics, LongSupplier natsOutstanding,
                     IntSupplier activeStreams) {
        if (registry == null) {
            return;
        }
        own(Gauge.builder("gateway.nats.connected", () -> natsConnected.getAsBoolean() ? 1 : 0)
                    .description("1 while the NATS connection is up, else 0"));
        own(Gauge.builder("gateway.nats.outstanding.requests", natsOutstanding::getAsLong)
                    .description("NATS requests waiting for their reply"));
        natsCounter(natsStatistics, "gateway.nats.reconnects", "NATS reconnects", Statistics::getReconnects);
        natsCounter(natsStatistics, "gateway.nats.in.bytes", "bytes received from NATS", Statistics::getInBytes);
        natsCounter(natsStatistics, "gateway.nats.out.bytes", "bytes sent to NATS", Statistics::getOutBytes);
        natsCounter(natsStatistics, "gateway.nats.dropped.messages", "messages NATS dropped for slow consumers",
                    Statistics::getDroppedCount);
        own(Gauge.builder("gateway.streams.active", activeStreams::getAsInt).description("SSE streams open now"));
    }

    private void natsCounter(Supplier<Statistics> nats, String name, String description,
                             ToLongFunction<Statistics> stat) {
        counterStates.add(nats); // else the lambda may be collected and the counter reads nothing
        own(FunctionalCounter.builder(name, nats, n -> natsStat(n, stat)).description(description));
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> void own(B builder) {
        owned.add(registry.getOrCreate(builder));
    }

    /**
     * Meters of the TCP connections: {@code gateway_connections_open}, and counters of connections
     * closed for a slow request head, opened beyond the cap, and request heads cut short by clients.
     */
    public void bindConnections(IntSupplier open, LongSupplier headerTimeouts, LongSupplier beyondCap,
                                LongSupplier clientGone) {
        if (registry == null) {
            return;
        }
        counterStates.addAll(List.of(headerTimeouts, beyondCap, clientGone));
        own(Gauge.builder("gateway.connections.open", open::getAsInt).description("TCP connections open now"));
        own(FunctionalCounter.builder("gateway.connections.header.timeouts", headerTimeouts, LongSupplier::getAsLong)
                    .description("connections closed because the request head was not complete within the header-read timeout"));
        own(FunctionalCounter.builder("gateway.connections.beyond.cap", beyondCap, LongSupplier::getAsLong)
                    .description("connections opened beyond gateway.connections.max-open (answered 503, then closed)"));
        own(FunctionalCounter.builder("gateway.connections.client.aborted.heads", clientGone, LongSupplier::getAsLong)
                    .description("request heads cut short by the client closing its connection"));
    }

    /**
     * {@code gateway_tracing_spans_dropped_total}: spans the exporter's queue had no room for
     * ({@code tracing/Tracing}), 0 while tracing is off.
     */
    public void bindTracing(LongSupplier droppedSpans) {
        if (registry == null) {
            return;
        }
        counterStates.add(droppedSpans);
        own(FunctionalCounter.builder("gateway.tracing.spans.dropped", droppedSpans, LongSupplier::getAsLong)
                    .description("spans dropped because the OTLP export queue was full (OTEL_BSP_MAX_QUEUE_SIZE)"));
    }

    /** Removes the meters that read this gateway's state (gauges, NATS counters). */
    @Override
    public void close() {
        for (Meter meter : owned) {
            registry.remove(meter);
        }
        owned.clear();
        counterStates.clear();
    }

    private static long natsStat(Supplier<Statistics> nats, ToLongFunction<Statistics> stat) {
        Statistics statistics = nats.get();
        return statistics == null ? 0 : stat.applyAsLong(statistics);
    }

    /**
     * The meters of one route, resolved now.
     *
     * @param route   the route's name, the {@code route} label
     * @param streams whether the route streams (then it also has the stream meters)
     */
    public RouteMetrics route(String route, boolean streams) {
        return new RouteMetrics(this, route, streams);
    }

    /** The meters of requests that matched no route ({@code route="none"}). */
    public RouteMetrics noRoute() {
        return new RouteMetrics(this, NO_ROUTE, false);
    }

    boolean enabled() {
        return registry != null;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    LongAdder inFlight() {
        return inFlight;
    }

    Timer timer(String name, String description, List<Tag> tags) {
        // fixed buckets only: no client-side percentiles (Helidon's default), which cost far more per record
        return registry.getOrCreate(Timer.builder(name).description(description).tags(tags).buckets(BUCKETS)
                                            .percentiles(new double[0]));
    }

    Counter counter(String name, String description, List<Tag> tags) {
        return registry.getOrCreate(Counter.builder(name).description(description).tags(tags));
    }
}
