package gaming.gateway.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loopback TCP proxy for fault tests, between a client (the gateway) and a server
 * (nats-server). It passes bytes both ways, and on command:
 * <ul>
 *   <li>{@link #cut()}: closes every open connection at once (new ones still pass);</li>
 *   <li>{@link #refuse()}: cuts, and closes each new connection as soon as it is accepted;</li>
 *   <li>{@link #stall()}: stops forwarding bytes in both directions but keeps every socket open,
 *       as a hung peer or a black-holed network does (new connections stall too);</li>
 *   <li>{@link #resume()}: passes again, releasing the stalled bytes.</li>
 * </ul>
 * One virtual thread accepts, two per connection pump; all end when the proxy is closed.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode { PASS, STALL, REFUSE }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String natsUrl() {
        return "nats://127.0.0.1:" + port();
    }

    /** How many client connections the proxy has accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** How many sockets (client and server sides) are open now. */
    public int openSockets() {
        return sockets.size();
    }

    /** Closes every open connection; connections made afterwards pass as before. */
    public void cut() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    /** Cuts every connection and refuses new ones (accepted, then closed at once) until {@link #resume()}. */
    public void refuse() {
        setMode(Mode.REFUSE);
        cut();
    }

    /** Stops forwarding bytes, keeping every socket open, until {@link #resume()}. */
    public void stall() {
        setMode(Mode.STALL);
    }

    /** Forwards again (releasing stalled connections) and accepts new connections. */
    public void resume() {
        setMode(Mode.PASS);
    }

    private void setMode(Mode next) {
        lock.lock();
        try {
            mode = next;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (mode == Mode.REFUSE) {
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().name("tcp-proxy-connect").start(() -> open(client));
        }
    }

    private void open(Socket client) {
        sockets.add(client);
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 2000);
        } catch (IOException e) {
            closePair(client, upstream);
            return;
        }
        if (closed) {
            closePair(client, upstream);
            return;
        }
        Thread.ofVirtual().name("tcp-proxy-up").start(() -> pump(client, upstream));
        Thread.ofVirtual().name("tcp-proxy-down").start(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                // a stalled proxy reads no more: the peer's socket buffers fill and it blocks
                if (!awaitPass()) {
                    return;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (!awaitPass()) {
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or was cut
        } finally {
            closePair(from, to);
        }
    }

    /** Waits while stalled; false once the proxy is closed. */
    private boolean awaitPass() {
        if (mode == Mode.PASS) {
            return !closed;
        }
        lock.lock();
        try {
            while (mode == Mode.STALL && !closed) {
                changed.await();
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void closePair(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting, closes every connection and lets every thread end. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        setMode(Mode.PASS);
        cut();
    }
}
