package gaming.gateway.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one route, resolved when the route is set up. The timer of each HTTP status and
 * the counter of each error code are made on their first use and then read from an array or map,
 * never looked up in the registry again. Label values are bounded: the route name, an HTTP
 * status, an error code name, a {@link StreamEnd}.
 */
public final class RouteMetrics {
    private final GatewayMetrics gateway;
    private final String route;
    private final List<Tag> routeTag;
    private final boolean enabled;
    private final Counter requests;
    private final Timer natsDuration;
    private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final Timer streamDuration;
    private final Counter chunks;
    private final Counter[] streamEnds;

    RouteMetrics(GatewayMetrics gateway, String route, boolean streams) {
        this.gateway = gateway;
        this.route = route;
        this.routeTag = List.of(Tag.create("route", route));
        this.enabled = gateway.enabled();
        if (!enabled) {
            requests = null;
            natsDuration = null;
            streamDuration = null;
            chunks = null;
            streamEnds = null;
            return;
        }
        requests = gateway.counter("gateway.requests", "HTTP requests by route", routeTag);
        natsDuration = gateway.timer("gateway.nats.request.duration",
                                     "NATS leg of a request: request to reply, or to the first chunk of a stream",
                                     routeTag);
        if (streams) {
            streamDuration = gateway.timer("gateway.stream.duration", "SSE stream from request to end", routeTag);
            chunks = gateway.counter("gateway.stream.chunks", "chunks (tokens) relayed as SSE events", routeTag);
            streamEnds = new Counter[StreamEnd.values().length];
            for (StreamEnd end : StreamEnd.values()) {
                streamEnds[end.ordinal()] = gateway.counter("gateway.streams.ended", "SSE streams ended, by reason",
                        List.of(routeTag.getFirst(), Tag.create("reason", end.name().toLowerCase(Locale.ROOT))));
            }
        } else {
            streamDuration = null;
            chunks = null;
            streamEnds = null;
        }
    }

    /** Starts timing one request; end it with {@link Exchange#end}. */
    public Exchange begin() {
        gateway.inFlight().increment();
        return new Exchange(this, System.nanoTime());
    }

    String route() {
        return route;
    }

    AccessLog accessLog() {
        return gateway.accessLog();
    }

    /** Leaves the in-flight count, last of all, so that a request no longer in flight is fully recorded. */
    void done() {
        gateway.inFlight().decrement();
    }

    void record(Exchange x, long durationNanos) {
        if (!enabled) {
            return;
        }
        requests.increment();
        int status = x.status();
        boolean stream = x.streamEnd() != null;
        // a stream's request duration is the time to its first event; its whole length goes to stream duration
        long requestNanos = stream && x.firstEventNanos() >= 0 ? x.firstEventNanos() : durationNanos;
        statusTimer(status).record(requestNanos, TimeUnit.NANOSECONDS);
        if (x.natsNanos() >= 0) {
            natsDuration.record(x.natsNanos(), TimeUnit.NANOSECONDS);
        }
        if (x.errorCode() != null) {
            errors.computeIfAbsent(x.errorCode(), this::errorCounter).increment();
        }
        if (stream && streamEnds != null) {
            streamDuration.record(durationNanos, TimeUnit.NANOSECONDS);
            streamEnds[x.streamEnd().ordinal()].increment();
            if (x.chunks() > 0) {
                chunks.increment(x.chunks());
            }
        }
    }

    private Timer statusTimer(int status) {
        int index = status >= 100 && status < 600 ? status : 500;
        Timer timer = byStatus.get(index);
        if (timer == null) {
            timer = gateway.timer("gateway.request.duration", "HTTP request duration by route and status",
                                  List.of(routeTag.getFirst(), Tag.create("status", Integer.toString(index))));
            byStatus.set(index, timer);
        }
        return timer;
    }

    private Counter errorCounter(String code) {
        return gateway.counter("gateway.errors", "failed requests by route and error code",
                               List.of(routeTag.getFirst(), Tag.create("code", code)));
    }
}
