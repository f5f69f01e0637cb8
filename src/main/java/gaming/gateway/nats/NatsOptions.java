package gaming.gateway.nats;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Executors;

/** jnats {@link Options} from {@link NatsSettings}. */
final class NatsOptions {
    /** How often jnats times out requests: a 504 comes at most this much after the route timeout. */
    static final Duration REQUEST_CLEANUP_INTERVAL = Duration.ofMillis(100);

    private NatsOptions() {
    }

    static Options.Builder builder(NatsSettings settings, DeniedSubjects denied) {
        ConnectionLog connectionLog = new ConnectionLog(settings.servers(), new LameDuckListener());
        Options.Builder builder = Options.builder()
                .servers(settings.servers().toArray(String[]::new))
                .connectionName(settings.connectionName())
                .maxReconnects(-1)
                // back within about 0.5 s of a server being there again (issue 12)
                .reconnectWait(Duration.ofMillis(250))
                .reconnectJitter(Duration.ofMillis(250))
                .pingInterval(settings.pingInterval())
                .maxPingsOut(2)
                .connectionTimeout(Duration.ofSeconds(2))
                // NatsClient.request waits untimed for requestWithTimeout's future, which jnats
                // cancels when the route timeout has passed, on its next cleanup; no responders
                // cancels it at once (the default cancel action, so reportNoResponders() stays off)
                .requestCleanupInterval(REQUEST_CLEANUP_INTERVAL)
                // the writer thread flushes when its queue empties; a flush per request costs
                // nats-server a syscall per message under load
                .dontForceFlushOnRequest()
                // the writer and the reply dispatcher on virtual threads: a reply reaches its waiting
                // request through the carrier threads' queues, not by waking platform threads (paired
                // A/B: +12 % req/s); the reader on a platform thread that blocks in read() itself,
                // one wake-up per reply instead of two through the JDK's poller (c=1 p50 -6 us)
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nats-", 0).factory()))
                .readerThreadFactory(Thread.ofPlatform().name("nats-reader-", 0).daemon().factory())
                .errorListener(new LoggingErrorListener(denied, connectionLog))
                .connectionListener(connectionLog);
        settings.creds().ifPresent(file -> builder.authHandler(Nats.credentials(file)));
        settings.nkeySeed().ifPresent(file -> builder.authHandler(nkeyAuth(file)));
        settings.token().ifPresent(token -> builder.token(token.toCharArray()));
        settings.user().ifPresent(user -> builder.userInfo(user, settings.password().orElse("")));
        if (settings.tlsCa().isPresent() || settings.tlsCert().isPresent()) {
            try {
                builder.sslContext(PemTls.sslContext(settings.tlsCa(), settings.tlsCert(), settings.tlsKey()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot load NATS TLS files: " + e.getMessage(), e);
            }
        }
        return builder;
    }

    private static AuthHandler nkeyAuth(String seedFile) {
        char[] seed;
        try {
            seed = Files.readString(Path.of(seedFile), StandardCharsets.US_ASCII).trim().toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read NATS_NKEY_SEED file " + seedFile, e);
        }
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return NKey.fromSeed(seed).sign(nonce);
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot sign with the NKey seed", e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return NKey.fromSeed(seed).getPublicKey();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("invalid NKey seed", e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }
}
