package gaming.gateway.upstream;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.nats.NatsStream;
import gaming.gateway.route.Route;
import gaming.gateway.route.StreamSpec;
import gaming.gateway.tracing.NatsSpan;
import gaming.gateway.tracing.Tracing;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.ReplyDecoder;
import gaming.gateway.transcode.ReplyHeaders;
import gaming.gateway.transcode.TraceContext;

import com.google.protobuf.Message;
import io.nats.client.impl.Headers;

import java.time.Duration;
import java.util.Optional;

/**
 * A route's upstream over NATS: request/reply through {@link NatsClient#request}, streams through
 * {@link NatsClient#stream}, replies and chunks decoded by one {@link ReplyDecoder} each. The
 * request goes out as Protobuf bytes with {@code traceparent}, {@code tracestate} and
 * {@code Idempotency-Key} as NATS headers, plus {@code If-None-Match} through {@link #exchange}; a
 * reply's status and allowed headers are read by the route's {@link ReplyHeaders}.
 *
 * <p>While tracing is on, each request and each stream is a NATS client span
 * ({@link Tracing#startNats}), a child of the request's server span, and the {@code traceparent}
 * sent names that span; a failure makes it an error span.
 */
public final class NatsUpstream implements Upstream {
    /** The NATS header that marks a shadow copy of a route in migration. */
    public static final String SHADOW_HEADER = "Gateway-Shadow";
    private static final String IF_NONE_MATCH = "If-None-Match";
    private final NatsClient nats;
    private final String subject;
    private final Duration timeout;
    private final ReplyDecoder reply;
    private final ReplyDecoder chunk;
    private final ReplyHeaders answers;
    private final Optional<String> cancelSubject;
    private final long maxPendingMessages;
    private final long maxPendingBytes;
    private final Tracing tracing;

    private NatsUpstream(Route route, NatsClient nats, long maxPendingMessages, long maxPendingBytes, Tracing tracing) {
        this.nats = nats;
        this.tracing = tracing;
        this.subject = route.subject();
        this.timeout = route.timeout();
        this.reply = ReplyDecoder.create(route.subject(), route.reply(), route.statusTable());
        this.chunk = route.stream()
                .map(spec -> ReplyDecoder.create(route.subject(), spec.chunk(), route.statusTable()))
                .orElse(null);
        this.answers = ReplyHeaders.create(route.replyHeaders());
        this.cancelSubject = route.stream().flatMap(StreamSpec::cancelSubject);
        this.maxPendingMessages = maxPendingMessages;
        this.maxPendingBytes = maxPendingBytes;
    }

    /**
     * The upstream of {@code route} on {@code nats}.
     *
     * @param maxPendingMessages chunks a stream queues for a slow reader ({@code gateway.stream.max-pending-messages})
     * @param maxPendingBytes    bytes a stream queues for a slow reader ({@code gateway.stream.max-pending-bytes})
     */
    public static NatsUpstream create(Route route, NatsClient nats, long maxPendingMessages, long maxPendingBytes) {
        return create(route, nats, maxPendingMessages, maxPendingBytes, Tracing.OFF);
    }

    /** The same, with a client span per request and stream in {@code tracing}. */
    public static NatsUpstream create(Route route, NatsClient nats, long maxPendingMessages, long maxPendingBytes,
                                      Tracing tracing) {
        return new NatsUpstream(route, nats, maxPendingMessages, maxPendingBytes, tracing);
    }

    @Override
    public Message call(Message request, Meta meta, TraceContext.Trace trace) {
        return exchange(request, meta, trace, null).message();
    }

    /** The reply and the status and allowed headers it carries; {@code If-None-Match} sent as a NATS header. */
    @Override
    public Reply exchange(Message request, Meta meta, TraceContext.Trace trace, String ifNoneMatch) {
        return request(request, meta, trace, ifNoneMatch, false);
    }

    /** {@link #exchange} with the NATS header {@code Gateway-Shadow: true}. */
    @Override
    public Reply shadow(Message request, Meta meta, TraceContext.Trace trace) {
        return request(request, meta, trace, null, true);
    }

    private Reply request(Message request, Meta meta, TraceContext.Trace trace, String ifNoneMatch, boolean shadow) {
        byte[] body = request.toByteArray();
        NatsSpan span = tracing.startNats("request", subject, body.length);
        try {
            Headers headers = headers(meta, trace, span, shadow);
            if (ifNoneMatch != null) {
                headers.put(IF_NONE_MATCH, ifNoneMatch);
            }
            io.nats.client.Message msg = nats.request(subject, headers, body, timeout);
            Message decoded = reply.decode(msg);
            return new Reply(decoded, answers.read(msg, ifNoneMatch != null));
        } catch (GatewayException e) {
            span.failed(e.code());
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public Upstream.Stream open(Message request, Meta meta, TraceContext.Trace trace) {
        return stream(request, meta, trace, false);
    }

    /** {@link #open} with the NATS header {@code Gateway-Shadow: true}. */
    @Override
    public Upstream.Stream openShadow(Message request, Meta meta, TraceContext.Trace trace) {
        return stream(request, meta, trace, true);
    }

    private Upstream.Stream stream(Message request, Meta meta, TraceContext.Trace trace, boolean shadow) {
        if (chunk == null) {
            throw new IllegalStateException(subject + " has no stream type");
        }
        byte[] body = request.toByteArray();
        NatsSpan span = tracing.startNats("stream", subject, body.length);
        try {
            return new Chunks(nats.stream(subject, headers(meta, trace, span, shadow), body,
                                          maxPendingMessages, maxPendingBytes), span);
        } catch (GatewayException e) {
            span.failed(e.code());
            span.end();
            throw e;
        }
    }

    /**
     * The NATS headers of a request: trace context (the {@code traceparent} of {@code span} while
     * tracing), the idempotency key of its {@code meta}, and {@code Gateway-Shadow: true} on a
     * shadow copy.
     */
    private static Headers headers(Meta meta, TraceContext.Trace trace, NatsSpan span, boolean shadow) {
        Headers out = new Headers();
        String traceparent = span.traceparent();
        out.put(TraceContext.TRACEPARENT.defaultCase(), traceparent != null ? traceparent : trace.traceparent());
        if (trace.tracestate() != null) {
            out.put(TraceContext.TRACESTATE.defaultCase(), trace.tracestate());
        }
        if (!meta.getIdempotencyKey().isEmpty()) {
            out.put(MetaHeaders.IDEMPOTENCY_KEY.defaultCase(), meta.getIdempotencyKey());
        }
        if (shadow) {
            out.put(SHADOW_HEADER, "true");
        }
        return out;
    }

    /**
     * A {@link NatsStream} whose messages are decoded as the route's chunk type; its client span
     * ends when it is closed or cancelled.
     */
    private final class Chunks implements Upstream.Stream {
        private final NatsStream stream;
        private final NatsSpan span;

        Chunks(NatsStream stream, NatsSpan span) {
            this.stream = stream;
            this.span = span;
        }

        @Override
        public Message first() throws InterruptedException {
            try {
                Message first = chunk.decode(stream.first(timeout));
                span.chunk();
                return first;
            } catch (GatewayException e) {
                span.failed(e.code());
                throw e;
            }
        }

        @Override
        public Message next(Duration wait) throws InterruptedException {
            try {
                io.nats.client.Message msg = stream.next(wait);
                if (msg == null) {
                    return null;
                }
                span.chunk();
                return chunk.parse(msg);
            } catch (GatewayException e) {
                span.failed(e.code());
                throw e;
            }
        }

        @Override
        public boolean overflowed() {
            return stream.overflowed();
        }

        @Override
        public boolean woken() {
            return stream.woken();
        }

        @Override
        public void wake() {
            stream.wake();
        }

        @Override
        public void cancel(Message cancelRequest) {
            try {
                if (cancelSubject.isPresent()) {
                    stream.cancel(cancelSubject.get(), cancelRequest.toByteArray());
                } else {
                    stream.close();
                }
            } finally {
                span.end();
            }
        }

        @Override
        public void close() {
            try {
                stream.close();
            } finally {
                span.end();
            }
        }
    }
}
