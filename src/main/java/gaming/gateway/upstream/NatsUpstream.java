package gaming.gateway.upstream;

import common.v1.Meta;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.nats.NatsStream;
import gaming.gateway.route.Route;
import gaming.gateway.route.StreamSpec;
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

    private NatsUpstream(Route route, NatsClient nats, long maxPendingMessages, long maxPendingBytes) {
        this.nats = nats;
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
        return new NatsUpstream(route, nats, maxPendingMessages, maxPendingBytes);
    }

    @Override
    public Message call(Message request, Meta meta, TraceContext.Trace trace) {
        return reply.decode(nats.request(subject, headers(meta, trace), request.toByteArray(), timeout));
    }

    /** The reply and the status and allowed headers it carries; {@code If-None-Match} sent as a NATS header. */
    @Override
    public Reply exchange(Message request, Meta meta, TraceContext.Trace trace, String ifNoneMatch) {
        Headers headers = headers(meta, trace);
        if (ifNoneMatch != null) {
            headers.put(IF_NONE_MATCH, ifNoneMatch);
        }
        io.nats.client.Message msg = nats.request(subject, headers, request.toByteArray(), timeout);
        Message decoded = reply.decode(msg);
        return new Reply(decoded, answers.read(msg, ifNoneMatch != null));
    }

    /** {@link #exchange} with the NATS header {@code Gateway-Shadow: true}. */
    @Override
    public Reply shadow(Message request, Meta meta, TraceContext.Trace trace) {
        Headers headers = headers(meta, trace);
        headers.put(SHADOW_HEADER, "true");
        io.nats.client.Message msg = nats.request(subject, headers, request.toByteArray(), timeout);
        return new Reply(reply.decode(msg), answers.read(msg, false));
    }

    @Override
    public Upstream.Stream open(Message request, Meta meta, TraceContext.Trace trace) {
        if (chunk == null) {
            throw new IllegalStateException(subject + " has no stream type");
        }
        return new Chunks(nats.stream(subject, headers(meta, trace), request.toByteArray(),
                                      maxPendingMessages, maxPendingBytes));
    }

    /** {@link #open} with the NATS header {@code Gateway-Shadow: true}. */
    @Override
    public Upstream.Stream openShadow(Message request, Meta meta, TraceContext.Trace trace) {
        if (chunk == null) {
            throw new IllegalStateException(subject + " has no stream type");
        }
        Headers headers = headers(meta, trace);
        headers.put(SHADOW_HEADER, "true");
        return new Chunks(nats.stream(subject, headers, request.toByteArray(), maxPendingMessages, maxPendingBytes));
    }

    /** The NATS headers of a request: trace context and the idempotency key of its {@code meta}. */
    private static Headers headers(Meta meta, TraceContext.Trace trace) {
        Headers out = new Headers();
        out.put(TraceContext.TRACEPARENT.defaultCase(), trace.traceparent());
        if (trace.tracestate() != null) {
            out.put(TraceContext.TRACESTATE.defaultCase(), trace.tracestate());
        }
        if (!meta.getIdempotencyKey().isEmpty()) {
            out.put(MetaHeaders.IDEMPOTENCY_KEY.defaultCase(), meta.getIdempotencyKey());
        }
        return out;
    }

    /** A {@link NatsStream} whose messages are decoded as the route's chunk type. */
    private final class Chunks implements Upstream.Stream {
        private final NatsStream stream;

        Chunks(NatsStream stream) {
            this.stream = stream;
        }

        @Override
        public Message first() throws InterruptedException {
            return chunk.decode(stream.first(timeout));
        }

        @Override
        public Message next(Duration wait) throws InterruptedException {
            io.nats.client.Message msg = stream.next(wait);
            return msg == null ? null : chunk.parse(msg);
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
            if (cancelSubject.isPresent()) {
                stream.cancel(cancelSubject.get(), cancelRequest.toByteArray());
            } else {
                stream.close();
            }
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
