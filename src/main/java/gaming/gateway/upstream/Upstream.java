package gaming.gateway.upstream;

import common.v1.Meta;
import gaming.gateway.transcode.ReplyHeaders;
import gaming.gateway.transcode.TraceContext;

import com.google.protobuf.Message;

import java.time.Duration;

/**
 * Where one route's requests go: the seam between the HTTP side of the gateway (JSON, identity,
 * {@code Meta}, problem+json, meters) and the service behind the route. Today's only
 * implementation is {@link NatsUpstream} (NATS request/reply and a streamed reply on an inbox); a
 * legacy HTTP upstream, or a strategy that shadows or splits traffic between two upstreams, goes
 * beside it without touching decoding, {@code Meta}, errors or observation.
 *
 * <p>Plain blocking code: each call blocks the calling (virtual) thread until it has its answer.
 * Every failure is a {@link gaming.gateway.error.GatewayException} with its status. Made once per
 * route at start-up and shared by all of its requests.
 */
public interface Upstream {
    /**
     * Sends one request and waits for its reply, at most the route's timeout.
     *
     * @param request the Protobuf request of the route's request type, {@code meta} set
     * @param meta    the request's {@code meta} as set in {@code request}
     * @param trace   the request's W3C trace context, passed on to the service
     * @return the reply, of the route's reply type, without an error (one in its {@code error} field is thrown)
     * @throws gaming.gateway.error.GatewayException 503 (upstream unavailable, no responders), 504 (no
     *                                               reply in time), 403 (the gateway may not send
     *                                               there), 413 (the request is larger than the
     *                                               upstream takes in one message), 502 (not a reply of the route's type), or
     *                                               the service's own error mapped by the route's
     *                                               status table
     */
    Message call(Message request, Meta meta, TraceContext.Trace trace);

    /**
     * Like {@link #call}, with what the service says about the HTTP answer (status, allowed
     * headers: {@link ReplyHeaders}) and the client's {@code If-None-Match} passed on. An upstream
     * that has no such channel answers 200 with no headers.
     *
     * @param ifNoneMatch the request's {@code If-None-Match}, or null
     * @throws gaming.gateway.error.GatewayException as {@link #call}
     */
    default Reply exchange(Message request, Meta meta, TraceContext.Trace trace, String ifNoneMatch) {
        return new Reply(call(request, meta, trace), ReplyHeaders.Answer.PLAIN);
    }

    /**
     * A reply and the answer its service asked for.
     *
     * @param message the reply, of the route's reply type, without an error
     * @param answer  status and headers for the client
     */
    record Reply(Message message, ReplyHeaders.Answer answer) {
    }

    /**
     * {@link #exchange} for a shadow copy of a route in migration: the service sees the NATS header
     * {@code Gateway-Shadow: true} and may dry-run the request; no {@code If-None-Match} is passed on.
     * An upstream without headers sends it as {@link #exchange} does.
     *
     * @throws gaming.gateway.error.GatewayException as {@link #call}
     */
    default Reply shadow(Message request, Meta meta, TraceContext.Trace trace) {
        return exchange(request, meta, trace, null);
    }

    /**
     * Sends one request whose reply comes as a stream of chunks of the route's stream type.
     *
     * @param request the Protobuf request, {@code meta} set and the stream flag on
     * @param meta    the request's {@code meta} as set in {@code request}
     * @param trace   the request's W3C trace context, passed on to the service
     * @return the open stream; the caller reads it on its own thread and closes it
     * @throws gaming.gateway.error.GatewayException 503 (upstream unavailable), 403 (the gateway may
     *                                               not send there), 413 (the request is larger than
     *                                               the upstream takes in one message)
     */
    Stream open(Message request, Meta meta, TraceContext.Trace trace);

    /**
     * {@link #open} for a shadow copy of a route in migration: the service sees the NATS header
     * {@code Gateway-Shadow: true}. An upstream without headers opens it as {@link #open} does.
     *
     * @throws gaming.gateway.error.GatewayException as {@link #open}
     */
    default Stream openShadow(Message request, Meta meta, TraceContext.Trace trace) {
        return open(request, meta, trace);
    }

    /** A streamed reply being read. Used by one thread, except {@link #wake}. */
    interface Stream extends AutoCloseable {
        /**
         * The first chunk, waiting at most the route's timeout.
         *
         * @return a chunk of the route's stream type, without an error (one in its {@code error} field is thrown)
         * @throws gaming.gateway.error.GatewayException 504 (none in time), 503 (no responders, or
         *                                               {@code NATS_CONNECTION_LOST}: the connection
         *                                               was lost while waiting), 403 (the send was
         *                                               refused), 502 (not a chunk), or the service's
         *                                               error
         * @throws InterruptedException when the thread is interrupted while waiting
         */
        Message first() throws InterruptedException;

        /**
         * The next chunk, which may hold the service's error in its {@code error} field; null when none came within {@code wait} or the stream was
         * {@linkplain #wake woken} ({@link #woken()} tells which).
         *
         * @param wait how long to wait at most, &gt; 0
         * @throws gaming.gateway.error.GatewayException 502 when what came is not a chunk, or the
         *                                               service's error reported in headers; 503
         *                                               {@code NATS_CONNECTION_LOST} when the
         *                                               connection was lost (before or during the
         *                                               wait: the chunks cannot arrive any more)
         * @throws InterruptedException when the thread is interrupted while waiting
         */
        Message next(Duration wait) throws InterruptedException;

        /** Whether chunks were lost because the reader fell too far behind (the pending limits). */
        boolean overflowed();

        /** Whether {@link #wake} ended a wait. */
        boolean woken();

        /** Ends the current or next wait of the reading thread at once (shutdown); callable from any thread. */
        void wake();

        /**
         * Stops receiving, then tells the service to stop generating with {@code cancelRequest}, of
         * the route's cancel-request type (after the connection was lost: once it is back and a
         * service listens on the cancel subject, tried for up to 30 s); without
         * a cancel subject on the route, only stops receiving.
         */
        void cancel(Message cancelRequest);

        /** Stops receiving; idempotent. */
        @Override
        void close();
    }
}
