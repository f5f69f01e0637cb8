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
 * The NATS server the demo uses: the one named by {@code NATS_URL} when that is set (the demo's
 * services then keep their JetStream buckets there), else a {@code nats-server} process of the
 * demo's own on a free loopback port with JetStream in a temporary directory. {@link #close()}
 * stops a server started here and deletes its directory.
 *
 * <p>A server started here does not outlive the demo, even after {@code kill -9}: it runs under a
 * small {@code sh} watchdog that reads the demo's end of a pipe and stops the server when the pipe
 * closes, which the kernel does when the demo's process ends however it ends. The watchdog runs in
 * a session of its own ({@code setsid}), so Ctrl-C in a terminal reaches the demo alone, which
 * shuts down gracefully before it stops the server. Each server's directory
 * ({@code $TMPDIR/http-nats-gateway-demo/<demo pid>/}) holds its pid file ({@code nats-server -P});
 * the next start stops a server whose demo is gone and deletes its directory.
 */
public final class EmbeddedNats implements AutoCloseable {
    /** Where the gateway and the services look for NATS when {@code NATS_URL} is not set. */
    public static final String DEFAULT_URL = "nats://localhost:4222";
    /** The directory under {@code java.io.tmpdir} that holds one directory per running demo's nats-server. */
    static final String DEMO_DIRS = "http-nats-gateway-demo";
    private static final int DEFAULT_PORT = 4222;
    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long START_TIMEOUT_MS = 30_000;
    private static final String PID_FILE = "nats-server.pid";
    /** $1: the server's directory; then the server's command. Stops it when stdin (the demo's pipe) closes. */
    private static final String WATCHDOG = "dir=$1; shift; \"$@\" & server=$!; cat >/dev/null;"
            + " kill \"$server\" 2>/dev/null; wait \"$server\"; rm -rf \"$dir\"";

    private final String url;
    private final Process watchdog;
    private final Path dir;
    private final List<String> cleanedUp;

    private EmbeddedNats(String url, Process watchdog, Path dir, List<String> cleanedUp) {
        this.url = url;
        this.watchdog = watchdog;
        this.dir = dir;
        this.cleanedUp = cleanedUp;
    }

    /** A server the demo did not start (named by {@code NATS_URL}); nothing is started or stopped. */
    public static EmbeddedNats use(String url) {
        return new EmbeddedNats(url, null, null, List.of());
    }

    /**
     * Starts the {@code nats-server} found through {@code NATS_SERVER_BIN} or {@code PATH} in
     * {@code env} on a free loopback port, with JetStream in a new temporary directory, after
     * stopping servers that earlier demos left running.
     *
     * @throws IllegalStateException when there is no binary (the message says what to install) or
     *                               the server does not start (the message holds its log)
     */
    public static EmbeddedNats start(Map<String, String> env) {
        Path binary = findBinary(env).orElseThrow(() -> new IllegalStateException(
                "NATS_URL is not set and no nats-server binary was found on the PATH (or in NATS_SERVER_BIN).\n"
                        + "Install nats-server (Debian/Ubuntu: 'apt-get install nats-server'; './gw demo' does that"
                        + " for you), or set NATS_URL to a NATS server with JetStream."));
        Path root = Path.of(System.getProperty("java.io.tmpdir"), DEMO_DIRS);
        List<String> cleanedUp = cleanUpLeftovers(root);
        try {
            Path dir = root.resolve(String.valueOf(ProcessHandle.current().pid()));
            deleteTree(dir);
            Files.createDirectories(dir);
            int port = freePort();
            List<String> command = new ArrayList<>();
            setsid().ifPresent(setsid -> command.add(setsid.toString()));
            command.addAll(List.of("/bin/sh", "-c", WATCHDOG, "nats-watchdog", dir.toString(),
                    binary.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
                    "-sd", dir.resolve("jetstream").toString(), "-P", dir.resolve(PID_FILE).toString()));
            Path log = dir.resolve("nats-server.log");
            Process watchdog = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EmbeddedNats nats = new EmbeddedNats("nats://127.0.0.1:" + port, watchdog, dir, cleanedUp);
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (watchdog.isAlive() && System.currentTimeMillis() < deadline) {
                if (reachable(nats.url) && Files.exists(dir.resolve(PID_FILE))) {
                    return nats;
                }
                Thread.sleep(50);
            }
            String output = Files.exists(log) ? Files.readString(log) : "";
            nats.close();
            throw new IllegalStateException(binary + " did not start on port " + port + ":\n" + output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + binary, e);
        }
    }

    /** The URL to connect to. */
    public String url() {
        return url;
    }

    /** Whether a server process was started here (rather than the one of {@code NATS_URL} used). */
    public boolean started() {
        return watchdog != null;
    }

    /** The started server's directory (data, log, pid file), if one was started here. */
    public Optional<Path> storeDir() {
        return Optional.ofNullable(dir);
    }

    /** What the start found and stopped: one line per server an earlier demo left running. */
    public List<String> cleanedUp() {
        return cleanedUp;
    }

    /** Stops the server started here, if any, and deletes its directory. */
    @Override
    public void close() {
        if (watchdog == null) {
            return;
        }
        try {
            watchdog.getOutputStream().close(); // the watchdog stops the server and waits for it
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                serverProcess(dir).ifPresent(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            watchdog.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    /**
     * Stops the nats-server of every directory under {@code root} whose demo process is gone (a
     * demo killed before its watchdog could act) and deletes those directories.
     *
     * @return one line per server stopped
     */
    static List<String> cleanUpLeftovers(Path root) {
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return stopped;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                long owner;
                try {
                    owner = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (owner == ProcessHandle.current().pid() || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // that demo is still running
                }
                Optional<ProcessHandle> server = serverProcess(dir);
                server.ifPresent(process -> {
                    process.destroy();
                    try {
                        process.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception notYet) {
                        process.destroyForcibly();
                    }
                    stopped.add("Stopped nats-server (pid " + process.pid() + ") left running by an earlier demo (pid "
                            + owner + ") and deleted " + dir);
                });
                deleteTree(dir);
            }
        } catch (IOException e) {
            // a temporary directory we cannot list: nothing to clean up
        }
        return stopped;
    }

    /** The live nats-server process whose pid is in {@code dir}'s pid file. */
    private static Optional<ProcessHandle> serverProcess(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("nats-server")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
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

    /** util-linux {@code setsid}, which starts the watchdog in a session of its own (out of Ctrl-C's reach). */
    private static Optional<Path> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory (the watchdog may be deleting it too); nothing else to do
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
