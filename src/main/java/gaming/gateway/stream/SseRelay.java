package gaming.gateway.stream;

import common.v1.Error;
import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.Problem;
import gaming.gateway.error.ServiceErrorHeaders;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.observe.Exchange;
import gaming.gateway.route.Route;
import gaming.gateway.route.StreamSpec;
import gaming.gateway.transcode.JsonCodec;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Relays a streamed reply as Server-Sent Events, straight from a NATS subscription: subscribe to a
 * fresh inbox, publish the request with that inbox as reply subject, then write each chunk
 * through {@link SseSink} as it arrives.
 *
 * <p>No flush between subscribe and publish: both go out in order on the one connection, and the
 * server applies the SUB before it routes the PUB. A flush per stream would also be a PING per
 * stream, and many streams opening at once exceed jnats' limit of outstanding pings, which drops
 * the connection (seen with 1,000 concurrent streams).
 *
 * <p>Plain blocking code on the request's virtual thread, which waits in
 * {@link Subscription#nextMessage(Duration)}.
 *
 * <p>Before the first chunk, failures are plain HTTP errors; after it, an error becomes a final
 * {@code event: error} whose data is the problem+json, and the stream ends. A client that leaves,
 * an idle service, a reader too slow for the stream's bounded queue, and shutdown all end the
 * stream and send the service a cancel.
 */
public final class SseRelay {
    private static final System.Logger LOGGER = System.getLogger(SseRelay.class.getName());
    private static final SseEvent KEEP_ALIVE = SseEvent.builder().comment("keep-alive").build();

    private final Route route;
    private final StreamSpec spec;
    private final NatsClient nats;
    private final StreamSettings settings;
    private final ActiveStreams streams;
    private final JsonCodec chunkCodec;
    private final FieldDescriptor chunkError;
    private final FieldDescriptor chunkFinal;
    private final FieldDescriptor chunkIndex;
    private final FieldDescriptor chunkGenerationId;

    private SseRelay(Route route, NatsClient nats, StreamSettings settings, ActiveStreams streams) {
        this.route = route;
        this.spec = route.stream().orElseThrow();
        this.nats = nats;
        this.settings = settings;
        this.streams = streams;
        this.chunkCodec = JsonCodec.create(spec.chunk(), false);
        var chunk = spec.chunk().getDescriptorForType();
        this.chunkError = chunk.findFieldByName("error");
        this.chunkFinal = chunk.findFieldByName("is_final");
        FieldDescriptor index = chunk.findFieldByName("index");
        this.chunkIndex = index != null && index.getJavaType() == FieldDescriptor.JavaType.INT ? index : null;
        this.chunkGenerationId = chunk.findFieldByName("generation_id");
    }

    /** The relay of a route that has a {@code stream} type. */
    public static SseRelay create(Route route, NatsClient nats, StreamSettings settings, ActiveStreams streams) {
        return new SseRelay(route, nats, settings, streams);
    }

    /**
     * Whether {@code req} asks for a stream: {@code Accept: text/event-stream}, or the route's
     * stream flag (e.g. {@code params.stream}) with an {@code Accept} that allows event streams.
     * Sets the flag in {@code request} to match, so the service answers the way the client gets it.
     */
    public boolean wantsStream(ServerRequest req, Message.Builder request) {
        boolean explicit = req.headers().first(HeaderNames.ACCEPT)
                .map(accept -> accept.contains(MediaTypes.TEXT_EVENT_STREAM.text()))
                .orElse(false);
        boolean flag = flag(request);
        boolean stream = explicit || flag && accepts(req);
        if (stream != flag && !spec.flag().isEmpty()) {
            setFlag(request, stream);
        }
        return stream;
    }

    /**
     * Sends {@code request} and relays the chunks to {@code res} until the final one, noting in
     * {@code x} the NATS leg up to the first chunk, the first event, each chunk relayed and how the
     * stream ended.
     *
     * @throws GatewayException before the first chunk: 429 (too many streams), 503 (NATS down, no
     *                          responders), 504 (no first chunk in time), or the first chunk's error
     */
    public StreamEnd relay(ServerResponse res, byte[] request, Headers natsHeaders, Meta meta, Exchange x) {
        if (!streams.tryOpen()) {
            throw streams.shuttingDown()
                    ? GatewayException.natsUnavailable("closing: the gateway is shutting down")
                    : GatewayException.tooManyStreams(streams.limit());
        }
        String inbox = null;
        Subscription sub = null;
        ActiveStreams.Open open = null;
        try {
            Connection connection = nats.connection();
            inbox = connection.createInbox();
            sub = connection.subscribe(inbox);
            sub.setPendingLimits(settings.maxPendingMessages(), settings.maxPendingBytes());
            open = streams.register(inbox, connection);
            long published = System.nanoTime();
            connection.publish(route.subject(), inbox, natsHeaders, request);

            io.nats.client.Message first = sub.nextMessage(route.timeout());
            x.natsNanos(System.nanoTime() - published);
            if (first == null) {
                throw GatewayException.timeout(route.subject(), route.timeout().toMillis());
            }
            Message chunk = firstChunk(first);
            SseSink sink = res.sink(SseSink.TYPE);
            try {
                StreamEnd end = stream(connection, open, sink, sub, chunk, meta, x);
                x.streamEnded(end);
                return end;
            } finally {
                closeQuietly(sink);
            }
        } catch (InterruptedException e) {
            if (open != null && open.lost() != null) {
                Thread.interrupted(); // woken because the NATS connection was lost, not to stop the thread
                throw GatewayException.natsConnectionLost(open.lost());
            }
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        } finally {
            if (sub != null && sub.isActive()) {
                sub.unsubscribe();
            }
            streams.close(inbox);
        }
    }

    private Message firstChunk(io.nats.client.Message msg) {
        if (msg.isStatusMessage()) {
            if (msg.getStatus().getCode() == 503) {
                throw GatewayException.noResponders(route.subject());
            }
            throw GatewayException.badReply(route.subject(), "NATS status " + msg.getStatus().getCode());
        }
        ServiceErrorHeaders.check(route.subject(), msg);
        Message chunk = parseChunk(msg);
        GatewayException error = errorOf(chunk);
        if (error != null) {
            throw error;
        }
        return chunk;
    }

    private StreamEnd stream(Connection connection, ActiveStreams.Open open, SseSink sink, Subscription sub,
                             Message first, Meta meta, Exchange x) throws InterruptedException {
        String traceId = meta.getTraceId();
        String generationId = generationId(first);
        x.firstEvent();
        if (!emit(sink, first, x)) {
            return cancel(connection, sub, generationId, meta, StreamEnd.DISCONNECTED);
        }
        if ((boolean) first.getField(chunkFinal)) {
            return StreamEnd.COMPLETED;
        }
        long idleNanos = spec.idleTimeout().toNanos();
        long keepAliveNanos = settings.keepAlive().toNanos();
        long lastChunk = System.nanoTime();
        while (true) {
            long sinceChunk = System.nanoTime() - lastChunk;
            long wait = Math.max(1_000_000, Math.min(keepAliveNanos, idleNanos - sinceChunk));
            io.nats.client.Message msg;
            try {
                msg = sub.nextMessage(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                if (open.lost() != null) {
                    // woken because the NATS connection was lost: the chunks cannot arrive any more
                    Thread.interrupted();
                    emitError(sink, GatewayException.natsConnectionLost(open.lost()), traceId);
                    nats.whenConnected(c -> cancel(c, sub, generationId, meta, StreamEnd.NATS_CONNECTION_LOST));
                    return StreamEnd.NATS_CONNECTION_LOST;
                }
                // the server is stopping this request's thread
                emitError(sink, GatewayException.shuttingDown(), traceId);
                cancel(connection, sub, generationId, meta, StreamEnd.SHUTDOWN);
                Thread.currentThread().interrupt();
                return StreamEnd.SHUTDOWN;
            }
            if (sub.getDroppedCount() > 0) {
                emitError(sink, GatewayException.of(429, "RESOURCE_EXHAUSTED", "Stream overflow",
                        "the client read too slowly: more than " + settings.maxPendingMessages() + " chunks or "
                                + settings.maxPendingBytes() + " bytes were waiting"), traceId);
                return cancel(connection, sub, generationId, meta, StreamEnd.OVERFLOW);
            }
            if (msg == null) {
                if (System.nanoTime() - lastChunk >= idleNanos) {
                    emitError(sink, GatewayException.of(504, "DEADLINE_EXCEEDED", "Stream idle",
                            "no chunk from " + route.subject() + " within " + spec.idleTimeout().toMillis() + " ms"), traceId);
                    return cancel(connection, sub, generationId, meta, StreamEnd.IDLE_TIMEOUT);
                }
                if (!emitEvent(sink, KEEP_ALIVE)) {
                    return cancel(connection, sub, generationId, meta, StreamEnd.DISCONNECTED);
                }
                continue;
            }
            if (msg.hasHeaders() && msg.getHeaders().containsKey(ActiveStreams.SHUTDOWN_HEADER)) {
                emitError(sink, GatewayException.shuttingDown(), traceId);
                return cancel(connection, sub, generationId, meta, StreamEnd.SHUTDOWN);
            }
            Message chunk;
            try {
                ServiceErrorHeaders.check(route.subject(), msg);
                chunk = parseChunk(msg);
            } catch (GatewayException e) {
                emitError(sink, e, traceId);
                return cancel(connection, sub, generationId, meta, StreamEnd.BAD_CHUNK);
            }
            GatewayException error = errorOf(chunk);
            if (error != null) {
                emitError(sink, error, traceId);
                return StreamEnd.SERVICE_ERROR;
            }
            if (!emit(sink, chunk, x)) {
                return cancel(connection, sub, generationId, meta, StreamEnd.DISCONNECTED);
            }
            if ((boolean) chunk.getField(chunkFinal)) {
                return StreamEnd.COMPLETED;
            }
            lastChunk = System.nanoTime();
        }
    }

    private Message parseChunk(io.nats.client.Message msg) {
        try {
            return chunkCodec.parseBinary(msg.getData());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.badReply(route.subject(), "not a " + spec.chunk().getDescriptorForType().getFullName());
        }
    }

    private GatewayException errorOf(Message chunk) {
        return chunk.hasField(chunkError)
                ? GatewayException.fromService((Error) chunk.getField(chunkError), route.statusTable())
                : null;
    }

    private boolean emit(SseSink sink, Message chunk, Exchange x) {
        SseEvent.Builder event = SseEvent.builder().data(chunkCodec.print(chunk));
        if (chunkIndex != null) {
            event.id(String.valueOf(chunk.getField(chunkIndex)));
        }
        boolean sent = emitEvent(sink, event.build());
        if (sent) {
            x.chunk();
        }
        return sent;
    }

    private static void emitError(SseSink sink, GatewayException error, String traceId) {
        emitEvent(sink, SseEvent.builder()
                .name("error")
                .data(new String(Problem.body(error, traceId), StandardCharsets.UTF_8))
                .build());
    }

    /** Writes one event; false when the client has gone. */
    private static boolean emitEvent(SseSink sink, SseEvent event) {
        try {
            sink.emit(event);
            return true;
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "SSE client gone: " + e);
            return false;
        }
    }

    /** Stops receiving at once, then tells the service to stop generating. */
    private StreamEnd cancel(Connection connection, Subscription sub, String generationId, Meta meta, StreamEnd end) {
        if (sub.isActive()) {
            sub.unsubscribe();
        }
        if (spec.cancelSubject().isEmpty() || generationId.isEmpty()) {
            return end;
        }
        Message.Builder cancel = spec.cancelRequest().orElseThrow().newBuilderForType();
        var type = cancel.getDescriptorForType();
        cancel.setField(type.findFieldByName("generation_id"), generationId);
        cancel.setField(type.findFieldByName("meta"), meta);
        try {
            connection.publish(spec.cancelSubject().get(), cancel.build().toByteArray());
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "cancel not sent: " + e);
        }
        return end;
    }

    private String generationId(Message chunk) {
        return chunkGenerationId == null ? "" : (String) chunk.getField(chunkGenerationId);
    }

    private static boolean accepts(ServerRequest req) {
        try {
            return req.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM);
        } catch (RuntimeException e) {
            throw GatewayException.invalidArgument("malformed Accept header");
        }
    }

    private boolean flag(Message.Builder request) {
        List<FieldDescriptor> path = spec.flag();
        if (path.isEmpty()) {
            return false;
        }
        Message.Builder node = request;
        for (int i = 0; i < path.size() - 1; i++) {
            if (!node.hasField(path.get(i))) {
                return false;
            }
            node = node.getFieldBuilder(path.get(i));
        }
        return (boolean) node.getField(path.getLast());
    }

    private void setFlag(Message.Builder request, boolean value) {
        List<FieldDescriptor> path = spec.flag();
        Message.Builder node = request;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.getFieldBuilder(path.get(i));
        }
        node.setField(path.getLast(), value);
    }

    private static void closeQuietly(SseSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "SSE close: " + e);
        }
    }
}
