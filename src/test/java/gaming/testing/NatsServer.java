package gaming.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server} process on a free loopback port, with JetStream and the monitoring
 * endpoint, for tests. Found through {@code NATS_SERVER_BIN} or the PATH. Open it in
 * try-with-resources; {@link #stop()} and {@link #restart()} let a test cut NATS and bring it back
 * on the same port.
 */
public final class NatsServer implements AutoCloseable {
    private final int port;
    private final int monitorPort;
    private final Path storeDir;
    private final List<String> extraArgs;
    private Process process;

    private NatsServer(int port, List<String> extraArgs) {
        this.port = port;
        this.monitorPort = freePort();
        this.extraArgs = extraArgs;
        try {
            this.storeDir = Files.createTempDirectory("nats-js");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a free port. */
    public static NatsServer start(String... extraArgs) {
        NatsServer server = new NatsServer(freePort(), List.of(extraArgs));
        server.restart();
        return server;
    }

    /**
     * Starts a server on a free port without JetStream; {@link #stop()} and {@link #restart()} bring it
     * back on the same port with JetStream.
     */
    public static NatsServer startWithoutJetStream(String... extraArgs) {
        NatsServer server = new NatsServer(freePort(), List.of(extraArgs));
        server.start(false);
        return server;
    }

    /** A server on a free port that is not started yet (for "NATS down at start-up" tests). */
    public static NatsServer notStarted(String... extraArgs) {
        return new NatsServer(freePort(), List.of(extraArgs));
    }

    /** Starts the process (again) on this server's port and waits until it accepts connections. */
    public synchronized void restart() {
        start(true);
    }

    /** Stops the server and starts it again on the same port without JetStream (KV, streams gone). */
    public synchronized void restartWithoutJetStream() {
        stop();
        start(false);
    }

    private void start(boolean jetStream) {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                "-m", String.valueOf(monitorPort)));
        if (jetStream) {
            cmd.addAll(List.of("-js", "-sd", storeDir.toString()));
        }
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(storeDir.resolve("server.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nats-server (install it or set NATS_SERVER_BIN)", e);
        }
        // generous: a busy machine can take seconds to start a process; a server that fails exits
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        String log;
        try {
            log = Files.readString(storeDir.resolve("server.log"));
        } catch (IOException e) {
            log = e.toString();
        }
        throw new IllegalStateException("nats-server did not open port " + port + ":\n" + log);
    }

    /** Kills the process and waits for it to be gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The server's OS process id, for signals such as SIGSTOP. */
    public synchronized long pid() {
        return process.pid();
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Base URL of the HTTP monitoring endpoint ({@code /varz}, {@code /subsz}, {@code /connz}). */
    public String monitorUrl() {
        return "http://127.0.0.1:" + monitorPort;
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // temp files only
        }
    }

    /** The nats-server binary: {@code NATS_SERVER_BIN}, else {@code nats-server} on the PATH. */
    public static String binary() {
        String bin = System.getenv("NATS_SERVER_BIN");
        return bin == null || bin.isBlank() ? "nats-server" : bin;
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
