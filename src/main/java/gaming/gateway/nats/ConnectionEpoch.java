package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.Message;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NATS connection between two losses: the requests sent on it that still wait for a reply.
 * When the connection is lost (jnats reports {@code DISCONNECTED} or {@code CLOSED}) those replies
 * can never arrive, so {@link #lose(String)} fails every waiting request at once with
 * {@link ConnectionLostException} instead of leaving it to its route timeout. A request added after
 * the loss fails at once too.
 */
final class ConnectionEpoch {
    private final Connection connection;
    private final Set<CompletableFuture<Message>> pending = ConcurrentHashMap.newKeySet();
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

    /** Requests waiting now. */
    int pending() {
        return pending.size();
    }

    boolean isLost() {
        return lost != null;
    }

    /** The connection is gone: every request waiting on it fails now with {@link ConnectionLostException}. */
    void lose(String why) {
        lost = why;
        for (CompletableFuture<Message> reply : pending) {
            reply.completeExceptionally(new ConnectionLostException(why));
        }
    }

    /** A request's reply cannot arrive: the connection it was sent on was lost. */
    static final class ConnectionLostException extends RuntimeException {
        ConnectionLostException(String why) {
            super(why, null, false, false);
        }
    }
}
