package gaming.gateway.connection;

import io.helidon.config.Config;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The {@code gateway.connections} node.
 *
 * @param maxOpen           open TCP connections at most ({@code max-open}; 0 or absent: three
 *                          quarters of the process's file-descriptor limit less 256, so that the
 *                          limit is never reached by client connections alone); a request on a
 *                          connection beyond it gets 503 {@code OVERLOADED} and the connection is closed
 * @param headerReadTimeout longest time from the end of a request line to the end of its header
 *                          section ({@code header-read-timeout-seconds}, 10); a client slower than
 *                          that (slowloris) has its connection closed
 * @param idleTimeout       keep-alive connections with no request for this long are closed
 *                          ({@code idle-timeout-seconds}, 150); must be longer than the idle timeout
 *                          of a load balancer in front (AWS ALB: 60 s by default, 120 s in
 *                          terraform/), or it sends requests on connections being closed (502)
 */
public record ConnectionSettings(int maxOpen, Duration headerReadTimeout, Duration idleTimeout) {
    /** File descriptors kept free for NATS, logs, JARs and the JVM itself. */
    static final int RESERVED_FDS = 256;
    /** Used when the process's file-descriptor limit cannot be read. */
    static final int DEFAULT_MAX_OPEN = 10_000;
    static final long DEFAULT_HEADER_READ_TIMEOUT_SECONDS = 10;
    static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 150;

    public ConnectionSettings {
        if (maxOpen <= 0) {
            throw new IllegalArgumentException("gateway.connections.max-open must be > 0, was " + maxOpen);
        }
        if (headerReadTimeout.isNegative() || headerReadTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.connections.header-read-timeout-seconds must be > 0");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("gateway.connections.idle-timeout-seconds must be > 0");
        }
    }

    /** Reads {@code node} (the {@code gateway.connections} node; absent keys take their defaults). */
    public static ConnectionSettings create(Config node) {
        int configured = node.get("max-open").asInt().orElse(0);
        if (configured < 0) {
            throw new IllegalArgumentException("gateway.connections.max-open must be >= 0 (0: automatic), was " + configured);
        }
        return new ConnectionSettings(configured > 0 ? configured : automaticMaxOpen(maxFileDescriptors()),
                                      Duration.ofSeconds(node.get("header-read-timeout-seconds").asLong()
                                                                 .orElse(DEFAULT_HEADER_READ_TIMEOUT_SECONDS)),
                                      Duration.ofSeconds(node.get("idle-timeout-seconds").asLong()
                                                                 .orElse(DEFAULT_IDLE_TIMEOUT_SECONDS)));
    }

    /** Three quarters of what {@code maxFds} leaves after {@link #RESERVED_FDS}, at least 16. */
    static int automaticMaxOpen(long maxFds) {
        if (maxFds <= 0) {
            return DEFAULT_MAX_OPEN;
        }
        return (int) Math.max(16, Math.min(Integer.MAX_VALUE / 2, (maxFds - RESERVED_FDS) * 3 / 4));
    }

    /**
     * Connections the listener accepts at most (Helidon's {@code max-tcp-connections}): the cap
     * plus room to answer 503 to those beyond it. Beyond this, new connections wait in the
     * listen backlog instead of taking file descriptors.
     */
    public int acceptLimit() {
        return maxOpen + Math.max(16, maxOpen / 8);
    }

    /** The process's file-descriptor limit ({@code ulimit -n}), or -1 where the JVM cannot tell. */
    static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
