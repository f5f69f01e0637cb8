package gaming.gateway.nats;

import gaming.gateway.config.Redact;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the gateway connects to NATS, from the {@code gateway.nats} config node.
 *
 * @param servers         server URLs ({@code url}, comma-separated for a cluster)
 * @param requestTimeout  default per-request timeout ({@code timeout-seconds}, 30)
 * @param creds           a {@code .creds} file (JWT + NKey seed)
 * @param nkeySeed        a file holding an NKey seed
 * @param token           a token
 * @param user            a user name, with {@code password}
 * @param password        the user's password
 * @param tlsCa           a PEM file of CA certificates to trust
 * @param tlsCert         a PEM client certificate, with {@code tlsKey}
 * @param tlsKey          the client certificate's PKCS#8 PEM private key
 * @param pingInterval    how often the connection is pinged ({@code ping-interval-seconds}, 3); with
 *                        two pings outstanding a hung server is noticed within 12 s (jnats skips a
 *                        ping after a tick in which messages arrived)
 * @param connectionName  name shown in the server's connection list
 */
public record NatsSettings(List<String> servers,
                           Duration requestTimeout,
                           Optional<String> creds,
                           Optional<String> nkeySeed,
                           Optional<String> token,
                           Optional<String> user,
                           Optional<String> password,
                           Optional<String> tlsCa,
                           Optional<String> tlsCert,
                           Optional<String> tlsKey,
                           Duration pingInterval,
                           String connectionName) {

    /** Settings from the {@code gateway.nats} node. */
    public static NatsSettings create(Config nats) {
        List<String> servers = Arrays.stream(nats.get("url").asString().orElse("nats://localhost:4222").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("gateway.nats.url (NATS_URL) names no server");
        }
        long timeoutSeconds = nats.get("timeout-seconds").asLong().orElse(30L);
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("gateway.nats.timeout-seconds (NATS_TIMEOUT_SECONDS) must be > 0");
        }
        return new NatsSettings(servers,
                                Duration.ofSeconds(timeoutSeconds),
                                text(nats, "creds"),
                                text(nats, "nkey-seed"),
                                text(nats, "token"),
                                text(nats, "user"),
                                text(nats, "password"),
                                text(nats, "tls.ca"),
                                text(nats, "tls.cert"),
                                text(nats, "tls.key"),
                                Duration.ofSeconds(nats.get("ping-interval-seconds").asLong().orElse(3L)),
                                nats.get("connection-name").asString().orElse("http-nats-gateway"));
    }

    /** The settings with the token, the password and any credentials in the server URLs masked. */
    @Override
    public String toString() {
        return "NatsSettings[servers=" + servers.stream().map(Redact::url).toList()
                + ", requestTimeout=" + requestTimeout + ", creds=" + creds + ", nkeySeed=" + nkeySeed
                + ", token=" + Redact.secret(token) + ", user=" + user + ", password=" + Redact.secret(password)
                + ", tlsCa=" + tlsCa + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", pingInterval=" + pingInterval
                + ", connectionName=" + connectionName + "]";
    }

    private static Optional<String> text(Config nats, String key) {
        return nats.get(key).asString().asOptional().filter(s -> !s.isBlank());
    }
}
