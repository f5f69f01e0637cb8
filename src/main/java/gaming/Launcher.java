package gaming;

import gaming.services.EmbeddedNats;
import gaming.services.ReferenceServices;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The jar's entry point. {@code java -jar http-nats-gateway.jar [mode]} where mode is
 * <ul>
 *   <li>{@code gateway} (the default): the HTTP gateway alone;</li>
 *   <li>{@code services}: the reference NATS services alone, against {@code NATS_URL};</li>
 *   <li>{@code demo}: the services and the gateway in one process, on a {@code nats-server}
 *       of their own (free port, temporary JetStream store, stopped with the demo), or on the
 *       server of {@code NATS_URL} when that is set;</li>
 *   <li>{@code demo-migration}: the demo plus a legacy HTTP model service
 *       ({@link gaming.services.LegacyDemo}), two routes in {@code shadow} mode and the admin console;</li>
 *   <li>{@code check [config]}: validates the route table and prints it, starting nothing.</li>
 * </ul>
 * Arguments after the mode are passed to the gateway.
 */
public final class Launcher {
    private static final String USAGE = """
            usage: java -jar http-nats-gateway.jar [gateway|services|demo|demo-migration|check] [gateway args...]
              gateway   run the HTTP gateway (default)
              services  run the reference NATS services against NATS_URL (default %s)
              demo      run the services and the gateway together on a nats-server of their own (or on NATS_URL if set)
              demo-migration  the demo plus a legacy HTTP model service (LEGACY_PORT, default %d), models-list and
                        models-get in shadow mode, and the admin console (ADMIN_PORT, default 8001)
              check [config.yaml]   validate the route table and descriptor sets, print the routes; starts nothing
              bench-responder | bench-direct | bench-sse | bench-legacy   benchmark helpers (see bench/README.md)
            """.formatted(EmbeddedNats.DEFAULT_URL, gaming.services.LegacyDemo.DEFAULT_PORT);

    private Launcher() {
    }

    /** Runs the mode named by the first argument; see the class comment. */
    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "gateway" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "gateway" -> gaming.gateway.Main.main(rest);
            case "services" -> services();
            case "check" -> gaming.gateway.check.RouteCheck.main(rest);
            case "demo" -> demo(rest, false);
            case "demo-migration" -> demo(rest, true);
            case "bench-responder", "bench-direct", "bench-sse", "bench-legacy" -> gaming.bench.Bench.main(mode, rest);
            default -> {
                System.err.print("unknown mode '" + mode + "'\n" + USAGE);
                System.exit(2);
            }
        }
    }

    private static void services() throws Exception {
        Running running = new Running();
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        running.startServices(natsUrl());
        new CountDownLatch(1).await();
    }

    private static void demo(String[] gatewayArgs, boolean migration) throws Exception {
        Running running = new Running();
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        String explicitUrl = System.getenv("NATS_URL");
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            running.nats = EmbeddedNats.use(explicitUrl.strip());
            System.out.println("NATS: using NATS_URL " + running.nats.url()
                    + " (the demo's services keep their JetStream key-value buckets there)");
        } else {
            try {
                running.nats = EmbeddedNats.start(System.getenv());
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                System.exit(1);
            }
            running.nats.cleanedUp().forEach(System.out::println);
            System.out.println("NATS: started nats-server with JetStream at " + running.nats.url()
                    + " for this demo only (data in " + running.nats.storeDir().orElseThrow()
                    + ", deleted on exit; set NATS_URL to use another server)");
        }
        running.startServices(running.nats.url());
        System.setProperty("gateway.nats.url", running.nats.url());
        String console = migration ? startLegacy(running) : null;
        gaming.gateway.Main.main(gatewayArgs); // exits 1 with one line when the gateway cannot start
        if (console != null) {
            System.out.println(console);
        }
        new CountDownLatch(1).await();
    }

    /**
     * Exits 1 with one line on stderr: {@code <mode> cannot start: <why>}, as the gateway does (the
     * shutdown hook stops what was started).
     */
    private static void cannotStart(String mode, String why) {
        System.err.println(mode + " cannot start: " + why);
        System.exit(1);
    }

    /**
     * The migration demo's legacy service, its routes in shadow mode and an admin token (a random one
     * unless {@code GATEWAY_ADMIN_TOKEN} is set), as system properties for the gateway. A
     * {@code LEGACY_PORT} that is no port number, or a port that cannot be listened on, exits 1 with
     * one line naming it and {@code LEGACY_PORT}, as the gateway does for {@code PORT} and
     * {@code ADMIN_PORT}.
     *
     * @return the console's address line, to print once the gateway has started
     */
    private static String startLegacy(Running running) throws Exception {
        String variable = System.getenv("LEGACY_PORT");
        int port = gaming.services.LegacyDemo.DEFAULT_PORT;
        if (variable != null && !variable.isBlank()) {
            try {
                port = Integer.parseInt(variable.strip());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                cannotStart("demo-migration", "LEGACY_PORT must be a port number (0 to 65535, 0: any free port); got '"
                        + variable + "'");
            }
        }
        try {
            running.legacy = gaming.services.LegacyDemo.start(port);
        } catch (java.io.IOException e) {
            cannotStart("demo-migration", "cannot listen on 127.0.0.1:" + port + " for the legacy model service ("
                    + e.getMessage() + "); set LEGACY_PORT to use another port");
        }
        var config = gaming.gateway.config.ConfigLoader.load();
        List<String> names = config.get("gateway.routes").asNodeList().orElse(List.of()).stream()
                .map(r -> r.get("name").asString().orElse(r.get("path").asString().orElse(""))).toList();
        gaming.services.LegacyDemo.gatewayKeys(names, running.legacy.url()).forEach(System::setProperty);
        String token = System.getenv("GATEWAY_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            byte[] random = new byte[16];
            new java.security.SecureRandom().nextBytes(random);
            token = java.util.HexFormat.of().formatHex(random);
            System.setProperty("gateway.admin.token", token);
        }
        int adminPort = config.get("gateway.admin.port").asInt().orElse(8001);
        System.out.println("Legacy model service at " + running.legacy.url() + "; models-list and models-get in shadow mode.");
        return "Console: http://localhost:" + adminPort + "/admin/#token=" + token;
    }

    /** What this process started, stopped in reverse order by the shutdown hook. */
    private static final class Running {
        volatile EmbeddedNats nats;
        volatile Connection conn;
        volatile ReferenceServices services;
        volatile gaming.services.LegacyDemo legacy;

        void startServices(String url) throws Exception {
            try {
                conn = Nats.connect(Options.builder()
                        .server(url)
                        .connectionName("reference-services")
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxReconnects(-1)
                        .build());
            } catch (IOException e) {
                System.err.println("Cannot connect to NATS at " + url + ": " + e.getMessage()
                        + "\nStart nats-server with JetStream ('nats-server -js') or set NATS_URL.");
                System.exit(1);
            }
            services = ReferenceServices.start(conn);
            System.out.println("Reference services " + services.names() + " running on " + url);
        }

        void close() {
            if (legacy != null) {
                legacy.close();
            }
            if (services != null) {
                services.close();
            }
            if (conn != null) {
                try {
                    conn.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (nats != null) {
                nats.close();
            }
        }
    }

    private static String natsUrl() {
        String url = System.getenv("NATS_URL");
        return url == null || url.isBlank() ? EmbeddedNats.DEFAULT_URL : url;
    }
}
