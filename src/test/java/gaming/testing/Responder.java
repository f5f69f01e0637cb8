package gaming.testing;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A test service: a plain jnats subscription on one subject that records every request and
 * answers with {@code reply} (or not at all, when it returns null).
 */
public final class Responder implements AutoCloseable {
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final Connection connection;
    private final Dispatcher dispatcher;

    private Responder(Connection connection, String subject, Function<Message, byte[]> reply,
                      Function<Message, Headers> headers) {
        this.connection = connection;
        this.dispatcher = connection.createDispatcher(msg -> {
            received.add(msg);
            byte[] answer = reply.apply(msg);
            if (answer != null && msg.getReplyTo() != null) {
                connection.publish(msg.getReplyTo(), headers.apply(msg), answer);
            }
        });
        dispatcher.subscribe(subject);
        try {
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers each request on {@code subject} with {@code reply.apply(request)}. */
    public static Responder create(Connection connection, String subject, Function<Message, byte[]> reply) {
        return new Responder(connection, subject, reply, msg -> null);
    }

    /** Answers each request on {@code subject} with {@code reply.apply(request)} and the NATS headers {@code headers.apply(request)}. */
    public static Responder create(Connection connection, String subject, Function<Message, byte[]> reply,
                                   Function<Message, Headers> headers) {
        return new Responder(connection, subject, reply, headers);
    }

    /** The next request received, waiting up to 5 s. */
    public Message next() {
        try {
            Message msg = received.poll(5, TimeUnit.SECONDS);
            if (msg == null) {
                throw new AssertionError("the responder received no request");
            }
            return msg;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many requests arrived that {@link #next()} has not taken. */
    public int pending() {
        return received.size();
    }

    /**
     * Unsubscribes and, while connected, waits (up to 5 s) until nats-server has processed it, so a
     * request sent after this returns finds no responder (503) instead of reaching a subscription the
     * server still holds and timing out (504).
     */
    @Override
    public void close() {
        connection.closeDispatcher(dispatcher);
        if (connection.getStatus() == Connection.Status.CONNECTED) {
            try {
                connection.flush(Duration.ofSeconds(5));
            } catch (Exception e) {
                // the connection went away meanwhile: its subscriptions went with it
            }
        }
    }
}
