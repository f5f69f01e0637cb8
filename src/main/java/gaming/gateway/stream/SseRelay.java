package gaming.gateway.stream;

import common.v1.Meta;
import gaming.gateway.error.ErrorCode;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.Problem;
import gaming.gateway.observe.Exchange;
import gaming.gateway.observe.StreamEnd;
import gaming.gateway.route.Route;
import gaming.gateway.route.StreamSpec;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.ReplyDecoder;
import gaming.gateway.transcode.TraceContext;
import gaming.gateway.upstream.Upstream;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Relays a streamed reply as Server-Sent Events: opens the route's {@link Upstream.Stream}, then
 * writes each chunk through {@link SseSink} as it arrives.
 *
 * <p>Plain blocking code on the request's virtual thread, which waits in
 * {@link Upstream.Stream#next(Duration)}.
 *
 * <p>Before the first chunk, failures are plain HTTP errors; after it, an error becomes a final
 * {@code event: error} whose data is the problem+json, and the stream ends. A client that leaves,
 * an idle service, a reader too slow for the stream's bounded queue, the loss of the upstream
 * connection (503 {@code NATS_CONNECTION_LOST} at once, the cancel sent once reconnected and a
 * service listens again) and
 * shutdown all end the stream and send the service a cancel.
 */
public final class SseRelay {
    private static final System.Logger LOGGER = System.getLogger(SseRelay.class.getName());
    private static final SseEvent KEEP_ALIVE = SseEvent.builder().comment("keep-alive").build();

    private final Route route;
    private final StreamSpec spec;
    private final Upstream upstream;
    private final StreamSettings settings;
    private final ActiveStreams streams;
    private final JsonCodec chunkCodec;
    private final ReplyDecoder chunkDecoder;
    private final FieldDescriptor chunkFinal;
    private final FieldDescriptor chunkIndex;
    private final FieldDescriptor chunkGenerationId;

    private SseRelay(Route route, Upstream upstream, StreamSettings settings, ActiveStreams streams) {
        this.route = route;
        this.spec = route.stream().orElseThrow();
        this.upstream = upstream;
        this.settings = settings;
        this.streams = streams;
        this.chunkCodec = JsonCodec.create(spec.chunk(), false);
        var chunk = spec.chunk().getDescriptorForType();
        this.chunkDecoder = ReplyDecoder.create(route.subject(), spec.chunk(), route.statusTable());
        this.chunkFinal = chunk.findFieldByName("is_final");
        FieldDescriptor index = chunk.findFieldByName("index");
        this.chunkIndex = index != null && index.getJavaType() == FieldDescriptor.JavaType.INT ? index : null;
        this.chunkGenerationId = chunk.findFieldByName("generation_id");
    }

    /** The relay of a route that has a {@code stream} type, reading streams from {@code upstream}. */
    public static SseRelay create(Route route, Upstream upstream, StreamSettings settings, ActiveStreams streams) {
        return new SseRelay(route, upstream, settings, streams);
    }

    /**
     * The route's stream flag (e.g. {@code params.stream}) as set in {@code request}; false when
     * the route has none or the body leaves it unset.
     */
    public boolean streamFlag(Message.Builder request) {
        return flag(request);
    }

    /**
     * Sets the route's stream flag in {@code request} to {@code stream}, the way the gateway answers,
     * so the service answers the way the client gets it; nothing when the route has no flag.
     */
    public void setStreamFlag(Message.Builder request, boolean stream) {
        if (stream != flag(request) && !spec.flag().isEmpty()) {
            setFlag(request, stream);
        }
    }

    /**
     * Sends {@code request} and relays the chunks to {@code res} until the final one, noting in
     * {@code x} the upstream leg up to the first chunk, the first event, each chunk relayed and how
     * the stream ended.
     *
     * @param request the request, {@code meta} set and the stream flag on
     * @param meta    the request's {@code meta}
     * @param trace   the request's trace context
     * @throws GatewayException before the first chunk: 429 (too many streams), 503 (NATS down, no
     *                          responders, connection lost), 504 (no first chunk in time), 403 (publish refused), or
     *                          the first chunk's error
     */
    public StreamEnd relay(ServerResponse res, Message request, Meta meta, TraceContext.Trace trace, Exchange x) {
        return relay(res, request, meta, trace, x, null);
    }

    /**
     * {@link #relay(ServerResponse, Message, Meta, TraceContext.Trace, Exchange)}, also writing each
     * event sent into {@code copy} as {@link #collect} does (a shadowed route in migration compares it),
     * until it holds {@code MAX_COPY} characters.
     *
     * @param copy where the events go, or null
     */
    public StreamEnd relay(ServerResponse res, Message request, Meta meta, TraceContext.Trace trace, Exchange x,
                           StringBuilder copy) {
        if (!streams.tryOpen()) {
            throw streams.shuttingDown()
                    ? GatewayException.natsUnavailable("closing: the gateway is shutting down")
                    : GatewayException.tooManyStreams(streams.limit());
        }
        Upstream.Stream stream = null;
        try {
            long published = System.nanoTime();
            Message chunk;
            try {
                stream = upstream.open(request, meta, trace);
                streams.register(stream);
                chunk = stream.first();
            } finally {
                x.natsNanos(System.nanoTime() - published);
            }
            SseSink sink = copy == null ? res.sink(SseSink.TYPE) : new CopyingSink(res.sink(SseSink.TYPE), copy);
            try {
                StreamEnd end = stream(sink, stream, chunk, meta, x);
                x.streamEnded(end);
                return end;
            } finally {
                closeQuietly(sink);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        } finally {
            if (stream != null) {
                stream.close();
            }
            streams.close(stream);
        }
    }

    /** The most characters of events {@link #collect} and a copying relay keep. */
    public static final int MAX_COPY = 1 << 20;

    /**
     * Reads the streamed reply of a shadow copy ({@link Upstream#openShadow}) as the client would
     * have got it, for comparison: each chunk as {@code data: <json>}, a service error or the idle
     * timeout as {@code event: error} with the problem+json, events ending in a blank line. Stops at
     * the final chunk, an error, or {@link #MAX_COPY} characters. Plain blocking code, for a
     * background thread; the stream does not count against the gateway's open streams.
     *
     * @param request the request, {@code meta} set (the stream flag is set here)
     * @throws GatewayException as {@link #relay} before the first chunk
     */
    public String collect(Message request, Meta meta, TraceContext.Trace trace) {
        Message.Builder streamed = request.toBuilder();
        setStreamFlag(streamed, true);
        StringBuilder out = new StringBuilder();
        try (Upstream.Stream stream = upstream.openShadow(streamed.build(), meta, trace)) {
            Message chunk = stream.first();
            while (true) {
                append(out, null, chunkCodec.print(chunk));
                if ((boolean) chunk.getField(chunkFinal) || out.length() >= MAX_COPY) {
                    return out.toString();
                }
                chunk = stream.next(spec.idleTimeout());
                GatewayException error = chunk == null
                        ? GatewayException.streamIdle(route.subject(), spec.idleTimeout().toMillis())
                        : chunkDecoder.errorOf(chunk);
                if (error != null) {
                    append(out, "error", new String(Problem.body(error, meta.getTraceId()), StandardCharsets.UTF_8));
                    return out.toString();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.natsUnavailable("interrupted");
        }
    }

    private static void append(StringBuilder out, String name, String data) {
        if (out.length() >= MAX_COPY) {
            return;
        }
        if (name != null) {
            out.append("event: ").append(name).append('\n');
        }
        out.append("data: ").append(data).append("\n\n");
    }

    /** A sink that also writes each event with data into a copy, as {@link #collect} writes them. */
    private record CopyingSink(SseSink sink, StringBuilder copy) implements SseSink {
        @Override
        public SseSink emit(SseEvent event) {
            sink.emit(event);
            if (event.data() != SseEvent.NO_DATA) {
                append(copy, event.name().orElse(null), String.valueOf(event.data()));
            }
            return this;
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    private StreamEnd stream(SseSink sink, Upstream.Stream stream, Message first, Meta meta, Exchange x) {
        String traceId = meta.getTraceId();
        String generationId = generationId(first);
        x.firstEvent();
        if (!emit(sink, first, x)) {
            return cancel(stream, generationId, meta, StreamEnd.DISCONNECTED);
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
            Message chunk;
            GatewayException bad = null;
            try {
                chunk = stream.next(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                // the server is stopping this request's thread
                emitError(sink, GatewayException.shuttingDown(), traceId);
                cancel(stream, generationId, meta, StreamEnd.SHUTDOWN);
                Thread.currentThread().interrupt();
                return StreamEnd.SHUTDOWN;
            } catch (GatewayException e) {
                chunk = null;
                bad = e;
            }
            if (stream.overflowed()) {
                emitError(sink, GatewayException.streamOverflow(settings.maxPendingMessages(),
                                                               settings.maxPendingBytes()), traceId);
                return cancel(stream, generationId, meta, StreamEnd.OVERFLOW);
            }
            if (bad != null) {
                // the chunks cannot arrive any more: the cancel goes out once NATS is back
                emitError(sink, bad, traceId);
                return cancel(stream, generationId, meta, bad.is(ErrorCode.NATS_CONNECTION_LOST)
                        ? StreamEnd.NATS_CONNECTION_LOST : StreamEnd.BAD_CHUNK);
            }
            if (stream.woken()) {
                emitError(sink, GatewayException.shuttingDown(), traceId);
                return cancel(stream, generationId, meta, StreamEnd.SHUTDOWN);
            }
            if (chunk == null) {
                if (System.nanoTime() - lastChunk >= idleNanos) {
                    emitError(sink, GatewayException.streamIdle(route.subject(), spec.idleTimeout().toMillis()), traceId);
                    return cancel(stream, generationId, meta, StreamEnd.IDLE_TIMEOUT);
                }
                if (!emitEvent(sink, KEEP_ALIVE)) {
                    return cancel(stream, generationId, meta, StreamEnd.DISCONNECTED);
                }
                continue;
            }
            GatewayException error = chunkDecoder.errorOf(chunk);
            if (error != null) {
                emitError(sink, error, traceId);
                return StreamEnd.SERVICE_ERROR;
            }
            if (!emit(sink, chunk, x)) {
                return cancel(stream, generationId, meta, StreamEnd.DISCONNECTED);
            }
            if ((boolean) chunk.getField(chunkFinal)) {
                return StreamEnd.COMPLETED;
            }
            lastChunk = System.nanoTime();
        }
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

    /** Stops receiving at once, then tells the service to stop generating (when the route has a cancel subject). */
    private StreamEnd cancel(Upstream.Stream stream, String generationId, Meta meta, StreamEnd end) {
        if (spec.cancelSubject().isEmpty() || generationId.isEmpty()) {
            stream.close();
            return end;
        }
        Message.Builder cancel = spec.cancelRequest().orElseThrow().newBuilderForType();
        var type = cancel.getDescriptorForType();
        cancel.setField(type.findFieldByName("generation_id"), generationId);
        cancel.setField(type.findFieldByName("meta"), meta);
        stream.cancel(cancel.build());
        return end;
    }

    private String generationId(Message chunk) {
        return chunkGenerationId == null ? "" : (String) chunk.getField(chunkGenerationId);
    }

    private boolean flag(Message.Builder request) {
        List<FieldDescriptor> path = spec.flag();
        if (path.isEmpty()) {
            return false;
        }
        MessageOrBuilder node = request;
        for (int i = 0; i < path.size() - 1; i++) {
            if (!node.hasField(path.get(i))) {
                return false;
            }
            node = (MessageOrBuilder) node.getField(path.get(i));
        }
        return (boolean) node.getField(path.getLast());
    }

    private void setFlag(Message.Builder request, boolean value) {
        setFlag(request, spec.flag(), 0, value);
    }

    /** Sets the flag through nested messages by value, which works for generated and dynamic builders alike. */
    private static void setFlag(Message.Builder node, List<FieldDescriptor> path, int at, boolean value) {
        FieldDescriptor field = path.get(at);
        if (at == path.size() - 1) {
            node.setField(field, value);
            return;
        }
        Message.Builder child = ((Message) node.getField(field)).toBuilder();
        setFlag(child, path, at + 1, value);
        node.setField(field, child.build());
    }

    private static void closeQuietly(SseSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "SSE close: " + e);
        }
    }
}
