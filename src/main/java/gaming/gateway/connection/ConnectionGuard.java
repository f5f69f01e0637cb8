package gaming.gateway.connection;

import gaming.gateway.http.ChunkFramingSelector;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1Connection;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every HTTP/1.1 connection of the listener passes through here: it is counted while open, marked
 * when it is beyond {@link ConnectionSettings#maxOpen()} (its requests get 503 from
 * {@link ConnectionFilter}), and a watchdog closes connections whose header section takes longer
 * than {@link ConnectionSettings#headerReadTimeout()} after the request line (slowloris), and
 * connections beyond the cap that send nothing within that time.
 *
 * <p>Helidon 4.5.0 has no header-read timeout: its idle-connection timer only interrupts a
 * connection while it waits for a request line, so a client that sends a request line and then one
 * header line every few seconds holds its connection for ever. The keep-alive idle timeout is
 * Helidon's own ({@code idle-connection-timeout}), set from {@link ConnectionSettings#idleTimeout()}.
 * Helidon's {@code max-tcp-connections} is set to {@link ConnectionSettings#acceptLimit()}, so that
 * accepting never runs the process out of file descriptors.
 */
public final class ConnectionGuard implements ServerConnectionSelector, Http1ConnectionListener {
    /** Bound while a connection beyond the cap is handled (Helidon handles a connection on one thread). */
    private static final ThreadLocal<Boolean> BEYOND_CAP = new ThreadLocal<>();
    /** The connection the calling thread handles (Helidon handles a connection on one thread). */
    private static final ThreadLocal<Guarded> CURRENT = new ThreadLocal<>();
    private static final System.Logger LOGGER = System.getLogger(ConnectionGuard.class.getName());

    private final ConnectionSettings settings;
    private final ServerConnectionSelector http1;
    private final Map<ConnectionContext, Guarded> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final LongAdder headerTimeouts = new LongAdder();
    private final LongAdder beyondCap = new LongAdder();
    private final LongAdder clientGone = new LongAdder();
    private final Thread watchdog;
    private volatile boolean stopped;
    private volatile boolean draining;
    /** How long a connection may stay open without a request once the server is closing it at shutdown. */
    static final long LINGER_NANOS = Duration.ofSeconds(1).toNanos();
    /** Longest time spent reading and dropping the unread rest of a request body before a close. */
    static final long DRAIN_NANOS = Duration.ofSeconds(1).toNanos();

    private ConnectionGuard(ConnectionSettings settings, Http1Config http1Config, String socketName) {
        this.settings = settings;
        // the only receive listener: Helidon 4.5.0 combines several into a listener that forwards
        // no event (Http1ConnectionListenerUtil.ListFrameListener has no methods), which would
        // silently disable this one beside, for example, its own receive-log listener
        Http1Config withGuard = Http1Config.builder(http1Config)
                .receiveListeners(List.of(this))
                .compositeReceiveListener(this)
                .build();
        List<ProtocolConfig> protocols = List.of(withGuard);
        this.http1 = new Http1ConnectionProvider().create(socketName, withGuard, ProtocolConfigs.create(protocols));
        this.watchdog = Thread.ofPlatform().daemon().name("connection-watchdog").unstarted(this::watch);
    }

    /**
     * A guard for the default listener: the HTTP/1.1 protocol configured under
     * {@code protocols.http_1_1} of {@code serverConfig}, wrapped. {@link #installOn} puts it on a
     * server (again, when the server is rebuilt after its listener died).
     */
    public static ConnectionGuard create(Config serverConfig, ConnectionSettings settings) {
        Http1Config http1 = Http1Config.create(serverConfig.get("protocols").get("http_1_1"));
        ConnectionGuard guard = new ConnectionGuard(settings, http1, serverConfig.get("name").asString().orElse("@default"));
        ClientGoneLogFilter.install();
        guard.watchdog.start();
        return guard;
    }

    /**
     * Makes this guard the only connection selector of {@code server}'s default listener, with the
     * accept limit and the idle timeout. {@code server} must have been configured from
     * {@link #withoutProtocols(Config)}, or Helidon would add its own HTTP/1.1 selector beside this
     * one (and then reads the first bytes of a connection before handing it over).
     */
    public WebServerConfig.Builder installOn(WebServerConfig.Builder server) {
        Duration idle = settings.idleTimeout();
        Duration period = Duration.ofMillis(Math.clamp(idle.toMillis() / 10, 500, 10_000));
        return server.clearProtocols()
                .protocolsDiscoverServices(false)
                .clearConnectionSelectors()
                // HTTP/1.0, chunk extensions and trailers, which Helidon 4.5.0 rejects (RFC 9112 7.1), outside
                // the guard, so that the guard and its listener see the same (framing) connection context
                .addConnectionSelector(ChunkFramingSelector.wrap(this, this::headStarted))
                .maxTcpConnections(settings.acceptLimit())
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(period);
    }

    /** {@code serverConfig} without its {@code protocols} node, which {@link #install} takes over. */
    public static Config withoutProtocols(Config serverConfig) {
        Map<String, String> flat = new HashMap<>();
        serverConfig.detach().asMap().orElse(Map.of()).forEach((key, value) -> {
            if (!key.equals("protocols") && !key.startsWith("protocols.")) {
                flat.put(key, value);
            }
        });
        return Config.just(ConfigSources.create(flat));
    }

    /**
     * Runs {@code drain} (reading and dropping the unread rest of a request body before the
     * connection closes) with a time limit: the connection is cut if it takes longer than 1 s.
     */
    static void drainBounded(Runnable drain) {
        Guarded g = CURRENT.get();
        if (g == null) {
            return;
        }
        g.drainStart = System.nanoTime();
        try {
            drain.run();
        } finally {
            g.drainStart = 0;
        }
    }

    /** Whether the calling thread handles a connection beyond the cap. */
    static boolean beyondCapHere() {
        return BEYOND_CAP.get() != null;
    }

    /** Connections open now. */
    public int open() {
        return count.get();
    }

    /** Connections closed because their header section was not complete in time. */
    public long headerTimeouts() {
        return headerTimeouts.sum();
    }

    /** Connections opened beyond the cap (their requests got 503). */
    public long beyondCap() {
        return beyondCap.sum();
    }

    /** Request heads (after a complete request line) the client cut short by closing its connection. */
    public long clientGone() {
        return clientGone.sum();
    }

    /** The cap on open connections. */
    public int maxOpen() {
        return settings.maxOpen();
    }

    /**
     * Shutdown has begun (requests get 503 with {@code Connection: close}): when the server then
     * closes its connections, one waiting for a request is not cut at once (a request may be on its
     * way); it is closed after its next response, or after {@link #LINGER} without a request.
     */
    public void drain() {
        draining = true;
    }

    /** Stops the watchdog. */
    public void stop() {
        stopped = true;
        watchdog.interrupt();
    }

    // ---- ServerConnectionSelector: the HTTP/1.1 selector, each connection wrapped ----

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Guarded(ctx, http1.connection(ctx));
    }

    // ---- Http1ConnectionListener: where a request's head starts and ends ----

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        headStarted(ctx);
    }

    /** The first bytes of a request's head arrived on {@code ctx} (or its request line was read). */
    private void headStarted(ConnectionContext ctx) {
        Guarded g = open.get(ctx);
        if (g != null && g.headStart == 0) {
            g.headStart = System.nanoTime();
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Guarded g = open.get(ctx);
        if (g != null) {
            g.headStart = 0;
            g.requests = true;
        }
    }

    private void watch() {
        long timeout = settings.headerReadTimeout().toNanos();
        long period = Math.clamp(settings.headerReadTimeout().toMillis() / 4, 50, 1000);
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Guarded g : open.values()) {
                long linger = g.lingerStart;
                if (linger != 0 && now - linger > LINGER_NANOS && g.waitsForRequestLine()) {
                    g.lingerStart = 0;
                    g.delegate.close(false); // interrupts it: it waits for a request line
                    continue;
                }
                long drain = g.drainStart;
                if (drain != 0 && now - drain > DRAIN_NANOS) {
                    g.drainStart = 0;
                    g.delegate.close(true); // the client stopped sending the body it announced
                    continue;
                }
                long head = g.headStart;
                boolean slowHead = head != 0 && now - head > timeout;
                boolean idleBeyondCap = g.beyondCap && !g.requests && head == 0 && now - g.opened > timeout;
                if (slowHead || idleBeyondCap) {
                    if (slowHead) {
                        headerTimeouts.increment();
                    }
                    g.headStart = 0;
                    g.closedHere = true;
                    try {
                        g.delegate.close(true);
                    } catch (RuntimeException e) {
                        LOGGER.log(System.Logger.Level.DEBUG, "closing a slow connection: " + e);
                    }
                }
            }
        }
    }

    /** One open connection. */
    private final class Guarded implements ServerConnection {
        private final ConnectionContext ctx;
        private final ServerConnection delegate;
        private final long opened = System.nanoTime();
        /** When the current request line was read (ns), 0 while no header section is being read. */
        private volatile long headStart;
        private volatile boolean requests;
        private volatile boolean closedHere;
        /** When the server asked to close this connection during the drain (ns), 0 otherwise. */
        private volatile long lingerStart;
        /** When the unread rest of a request body began to be dropped before a close (ns), 0 otherwise. */
        private volatile long drainStart;
        private boolean beyondCap;

        Guarded(ConnectionContext ctx, ServerConnection delegate) {
            this.ctx = ctx;
            this.delegate = delegate;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            int n = count.incrementAndGet();
            open.put(ctx, this);
            CURRENT.set(this);
            try {
                if (n > settings.maxOpen()) {
                    beyondCap = true;
                    ConnectionGuard.this.beyondCap.increment();
                    BEYOND_CAP.set(Boolean.TRUE);
                    try {
                        delegate.handle(limit);
                    } finally {
                        BEYOND_CAP.remove();
                    }
                } else {
                    delegate.handle(limit);
                }
            } finally {
                CURRENT.remove();
                open.remove(ctx);
                count.decrementAndGet();
                if (headStart != 0 && !closedHere) {
                    clientGone.increment(); // the connection ended between a request line and the end of its head
                }
            }
        }

        /** Whether the connection waits for (or reads) a request line, between requests. */
        boolean waitsForRequestLine() {
            return headStart == 0 && delegate instanceof Http1Connection h && h.canInterrupt();
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            if (!interrupt && draining) {
                lingerStart = System.nanoTime(); // see drain()
                return;
            }
            delegate.close(interrupt);
        }
    }
}
