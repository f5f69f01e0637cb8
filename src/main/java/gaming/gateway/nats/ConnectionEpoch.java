package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.Message;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NATS connection between two losses: the requests sent on it that still wait for a reply,
 * and the streams subscribed on it. When the connection is lost (jnats reports
 * {@code DISCONNECTED} or {@code CLOSED}) those replies and chunks can never arrive, so
 * {@link #lose(String)} fails every waiting request at once with {@link ConnectionLostException}
 * and ends every stream ({@link NatsStream#lose}) instead of leaving them to their timeouts. A
 * request or stream added after the loss fails at once too.
 */
final class ConnectionEpoch {
    private final Connection connection;
    private final Set<CompletableFuture<Message>> pending = ConcurrentHashMap.newKeySet();
    private final Set<NatsStream> streams = ConcurrentHashMap.newKeySet();
    private volatile String lost;

    ConnectionEpoch(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Tracks {@code reply} until {@link #remove}; fails it at once if this epoch is already lost. */
    void add(CompletableFuture<Message> reply) {
        pending.add(reply);
        String why = lost;
        if (why != null) {
            reply.completeExceptionally(new ConnectionLostException(why));
        }
    }

    void remove(CompletableFuture<Message> reply) {
        pending.remove(reply);
    }

    /** Tracks {@code stream} until {@link #remove(NatsStream)}; ends it at once if this epoch is already lost. */
    void add(NatsStream stream) {
        streams.add(stream);
        String why = lost;
        if (why != null) {
            stream.lose(why);
        }
    }

    void remove(NatsStream stream) {
        streams.remove(stream);
    }

    /** Requests waiting and streams open now. */
    int pending() {
        return pending.size() + streams.size();
    }

    boolean isLost() {
        return lost != null;
    }

    /**
     * The connection is gone: every request waiting on it fails now with
     * {@link ConnectionLostException}, every stream on it ends with 503 {@code NATS_CONNECTION_LOST}.
     */
    void lose(String why) {
        lost = why;
        for (CompletableFuture<Message> reply : pending) {
            reply.completeExceptionally(new ConnectionLostException(why));
        }
        for (NatsStream stream : streams) {
            stream.lose(why);
        }
    }

    /** A request's reply cannot arrive: the connection it was sent on was lost. */
    static final class ConnectionLostException extends RuntimeException {
        ConnectionLostException(String why) {
            super(why, null, false, false);
        }
    }
}
