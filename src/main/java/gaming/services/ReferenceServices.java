package gaming.services;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.service.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reference NATS services behind the gateway's routes: LLM, model catalogue, state manager,
 * quest generator and NPC behaviour planner. Each is a NATS micro-service ({@code $SRV.PING},
 * {@code $SRV.INFO}, {@code $SRV.STATS}) whose endpoints listen in a queue group, so any number
 * of instances share the load. They are a reference and a test fixture, not part of the gateway.
 */
public final class ReferenceServices implements AutoCloseable {
    /** Environment variable: delay between streamed LLM tokens, in milliseconds. */
    public static final String TOKEN_DELAY_ENV = "LLM_TOKEN_DELAY_MS";
    /** The default delay between streamed LLM tokens. */
    public static final Duration DEFAULT_TOKEN_DELAY = Duration.ofMillis(20);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Connection conn;
    private final List<Service> services;

    private ReferenceServices(Connection conn, List<Service> services) {
        this.conn = conn;
        this.services = services;
    }

    /**
     * Starts all services on the connection, with the token delay from {@value #TOKEN_DELAY_ENV}.
     * Creates the KV buckets they need when missing (the server must have JetStream).
     */
    public static ReferenceServices start(Connection conn) throws IOException, JetStreamApiException {
        return start(conn, tokenDelay(System.getenv()));
    }

    /**
     * Starts all services on the connection; streamed LLM tokens are {@code tokenDelay} apart.
     * Returns once nats-server has confirmed their subscriptions, so a request sent right after,
     * on any connection, finds a responder.
     */
    public static ReferenceServices start(Connection conn, Duration tokenDelay)
            throws IOException, JetStreamApiException {
        ModelService models = new ModelService(conn);
        List<Service> services = List.of(
                new LlmService(conn, models, tokenDelay).service(),
                models.service(),
                new StateService(conn).service(),
                QuestService.service(conn),
                NpcService.service(conn));
        for (Service service : services) {
            service.startService();
            if (!service.isStarted(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("service " + service.getName() + " did not start");
            }
        }
        confirmSubscriptions(conn);
        return new ReferenceServices(conn, services);
    }

    /**
     * Subscribing only queues the SUB lines; a flush round trip (PING/PONG) proves the server has
     * read them. Without it a request from another connection can race them and find no responder.
     */
    private static void confirmSubscriptions(Connection conn) throws IOException {
        try {
            conn.flush(START_TIMEOUT);
        } catch (TimeoutException e) {
            throw new IOException("nats-server did not confirm the services' subscriptions within "
                    + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the services", e);
        }
    }

    /** The token delay configured in the environment, or the default; rejects a bad value. */
    static Duration tokenDelay(Map<String, String> env) {
        String value = env.get(TOKEN_DELAY_ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT_TOKEN_DELAY;
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis >= 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(TOKEN_DELAY_ENV + " must be a whole number of milliseconds >= 0, was '"
                + value + "'");
    }

    /** The service names, as {@code $SRV.PING} reports them. */
    public List<String> names() {
        return services.stream().map(Service::getName).toList();
    }

    /**
     * Stops every service; the connection stays open. While connected, each drains its
     * subscriptions; while not, they are dropped at once (a drain would wait for the connection to
     * come back: with NATS down the demo took up to 80 s to exit on SIGTERM).
     */
    @Override
    public void close() {
        boolean drain = conn.getStatus() == Connection.Status.CONNECTED;
        services.forEach(service -> service.stop(drain));
    }
}
