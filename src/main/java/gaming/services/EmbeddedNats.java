package gaming.services;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The NATS server the demo uses: the one at the configured URL when it answers, else a
 * {@code nats-server} process started here on a free loopback port with JetStream in a temporary
 * directory. {@link #close()} stops a server started here and deletes its directory.
 */
public final class EmbeddedNats implements AutoCloseable {
    /** Where the demo looks for NATS when {@code NATS_URL} is not set. */
    public static final String DEFAULT_URL = "nats://localhost:4222";
    private static final int DEFAULT_PORT = 4222;
    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long START_TIMEOUT_MS = 10_000;

    private final String url;
    private final Process process;
    private final Path storeDir;

    private EmbeddedNats(String url, Process process, Path storeDir) {
        this.url = url;
        this.process = process;
        this.storeDir = storeDir;
    }

    /**
     * NATS for the demo. Uses {@code url} if a server accepts connections there; otherwise starts
     * the {@code nats-server} found through {@code NATS_SERVER_BIN} or {@code PATH} in {@code env}.
     *
     * @throws IllegalStateException when neither works; its message says what to install
     */
    public static EmbeddedNats ensure(String url, Map<String, String> env) {
        if (reachable(url)) {
            return new EmbeddedNats(url, null, null);
        }
        Optional<Path> binary = findBinary(env);
        if (binary.isEmpty()) {
            throw new IllegalStateException("No NATS server answers at " + url + " and no nats-server binary was"
                    + " found on the PATH (or in NATS_SERVER_BIN).\n"
                    + "Install nats-server (https://docs.nats.io/running-a-nats-service/introduction/installation,"
                    + " e.g. 'brew install nats-server' or 'go install github.com/nats-io/nats-server/v2@latest'),"
                    + " or start one with JetStream ('nats-server -js') and set NATS_URL.");
        }
        return start(binary.get());
    }

    /** The URL to connect to. */
    public String url() {
        return url;
    }

    /** Whether a server process was started here (rather than an existing one used). */
    public boolean started() {
        return process != null;
    }

    /** The started server's data directory, if one was started here. */
    public Optional<Path> storeDir() {
        return Optional.ofNullable(storeDir);
    }

    /** Stops the server started here, if any, and deletes its directory. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary directory; nothing else to do
        }
    }

    /** Whether any server in the (comma-separated) URL list accepts a TCP connection. */
    static boolean reachable(String urls) {
        for (String url : urls.split(",")) {
            URI uri = URI.create(url.strip().contains("://") ? url.strip() : "nats://" + url.strip());
            if (uri.getHost() == null) {
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
                        CONNECT_TIMEOUT_MS);
                return true;
            } catch (IOException notThere) {
                // try the next one
            }
        }
        return false;
    }

    /** {@code NATS_SERVER_BIN} (a path, or a name looked up on the PATH), else nats-server on the PATH. */
    static Optional<Path> findBinary(Map<String, String> env) {
        String configured = env.getOrDefault("NATS_SERVER_BIN", "");
        String name = configured.isBlank() ? "nats-server" : configured.strip();
        if (name.contains(File.separator)) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String candidate : List.of(name, name + ".exe")) {
                Path path = Path.of(dir.isEmpty() ? "." : dir, candidate);
                if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                    return Optional.of(path);
                }
            }
        }
        return Optional.empty();
    }

    private static EmbeddedNats start(Path binary) {
        try {
            Path storeDir = Files.createTempDirectory("gateway-demo-nats");
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "-a", "127.0.0.1",
                    "-p", String.valueOf(port), "-js", "-sd", storeDir.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(storeDir.resolve("nats-server.log").toFile())
                    .start();
            EmbeddedNats nats = new EmbeddedNats("nats://127.0.0.1:" + port, process, storeDir);
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (process.isAlive() && System.currentTimeMillis() < deadline) {
                if (reachable(nats.url)) {
                    return nats;
                }
                Thread.sleep(50);
            }
            String log = Files.readString(storeDir.resolve("nats-server.log"));
            nats.close();
            throw new IllegalStateException(binary + " did not start on port " + port + ":\n" + log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + binary, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
