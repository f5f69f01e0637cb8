package gaming.gateway.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Helidon's HTTP/1.1 connections, reading the client's bytes through {@link ChunkFraming} so that
 * HTTP/1.0 requests are served and chunked request bodies with chunk extensions or trailer fields
 * are accepted (RFC 9112 §7.1), both of which Helidon 4.5.0 rejects. Added to the web server before Helidon's own selectors (custom
 * selectors are tried first), it takes every HTTP/1.1 connection Helidon's would take.
 */
public final class ChunkFramingSelector implements ServerConnectionSelector {
    private static final String HTTP_1_0 = " HTTP/1.0\r";
    private static final HeaderName MARKER = HeaderNames.create(ChunkFraming.HTTP_1_0_MARKER);

    private final ServerConnectionSelector delegate;
    private final Consumer<ConnectionContext> headStarted;

    private ChunkFramingSelector(ServerConnectionSelector delegate, Consumer<ConnectionContext> headStarted) {
        this.delegate = delegate;
        this.headStarted = headStarted;
    }

    /**
     * {@code http1}, an HTTP/1.1 selector (e.g. one that wraps Helidon's own to guard its
     * connections), with each connection's bytes seen through a {@link ChunkFraming}; the
     * connection context {@code http1} and its listeners get is that framing view. The framing
     * hands a request's head on only once it is complete, so {@code headStarted} is told (with
     * that view) when the first bytes of a head arrive, for a header-read timeout to start there.
     */
    public static ChunkFramingSelector wrap(ServerConnectionSelector http1, Consumer<ConnectionContext> headStarted) {
        return new ChunkFramingSelector(http1, headStarted);
    }

    /**
     * Whether {@code req} came as HTTP/1.0 (and was handed to Helidon as HTTP/1.1 with
     * {@code Connection: close}): it gets no stream (a chunked response is HTTP/1.1 only, RFC 9112
     * §6.1) and its connection is closed after the response.
     */
    public static boolean isHttp10(ServerRequest req) {
        return req.headers().contains(MARKER);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return delegate.bytesToIdentifyConnection();
    }

    /** What Helidon's HTTP/1.1 selector supports, and HTTP/1.0 ({@link ChunkFraming} hands it on as HTTP/1.1). */
    @Override
    public Support supports(BufferData request) {
        BufferData copy = request.copy();
        int lf = copy.indexOf((byte) '\n');
        if (lf > 0 && copy.readString(lf).endsWith(HTTP_1_0)) {
            return Support.SUPPORTED;
        }
        return delegate.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return delegate.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return delegate.connection(new Rewriting(ctx, headStarted));
    }

    /** {@code ctx} with its data reader seen through a {@link ChunkFraming}. */
    private static final class Rewriting implements ConnectionContext {
        private final ConnectionContext ctx;
        private final DataReader reader;

        Rewriting(ConnectionContext ctx, Consumer<ConnectionContext> headStarted) {
            this.ctx = ctx;
            DataReader raw = ctx.dataReader();
            ChunkFraming framing = new ChunkFraming();
            this.reader = DataReader.create(() -> {
                while (true) {
                    try {
                        raw.ensureAvailable();
                    } catch (DataReader.InsufficientDataAvailableException e) {
                        return null;   // end of stream
                    }
                    if (framing.atHeadStart()) {
                        headStarted.accept(this);
                    }
                    byte[] out = framing.rewrite(raw.readBytes(raw.available()));
                    if (out.length > 0) {
                        return out;
                    }
                }
            });
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
