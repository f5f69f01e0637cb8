package gaming.services;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import common.v1.Error;
import common.v1.Meta;
import io.nats.client.Connection;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;
import io.nats.service.ServiceMessageHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * What every reference service shares: decoding a request, copying its trace id into the reply's
 * {@code meta}, and turning failures into a reply whose {@code error} field is set. Every request
 * and response message of the contract has {@code meta} as field 1 and (responses) {@code error}
 * as field 2, so this class reaches them by name through the descriptors.
 */
final class Rpc {
    private static final System.Logger LOG = System.getLogger(Rpc.class.getName());
    static final String VERSION = "1.0.0";

    private Rpc() {
    }

    /**
     * The work of one endpoint: a request in, a reply out (its meta is filled in afterwards), or
     * {@code null} when this instance must not answer (another instance owns the request).
     */
    @FunctionalInterface
    interface Logic<Q, R> {
        R apply(Q request) throws Exception;
    }

    /** A failed request, answered as a normal reply with {@code error} set. */
    static final class Failure extends RuntimeException {
        final Error.Code code;
        final Map<String, String> details;

        Failure(Error.Code code, String message, Map<String, String> details) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
        }

        Error toError() {
            return Error.newBuilder().setCode(code).setMessage(getMessage()).putAllDetails(details).build();
        }
    }

    /** INVALID_ARGUMENT about one request field; the field name goes into {@code details.field}. */
    static Failure invalid(String field, String message) {
        return new Failure(Error.Code.INVALID_ARGUMENT, message, Map.of("field", field));
    }

    static Failure notFound(String message, Map<String, String> details) {
        return new Failure(Error.Code.NOT_FOUND, message, details);
    }

    /** Parses the payload, or fails with INVALID_ARGUMENT (never throws anything else). */
    static <Q extends Message> Q decode(ServiceMessage msg, Parser<Q> parser) {
        try {
            return parser.parseFrom(msg.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new Failure(Error.Code.INVALID_ARGUMENT,
                    "request is not a valid Protobuf message: " + e.getMessage(), Map.of());
        }
    }

    /** The request's {@code meta} field. */
    static Meta meta(Message request) {
        return (Meta) request.getField(field(request, "meta"));
    }

    /** The meta of a reply to a request with this meta: the trace and request ids are echoed. */
    static Meta replyMeta(Meta requestMeta) {
        return Meta.newBuilder()
                .setTraceId(requestMeta.getTraceId())
                .setRequestId(requestMeta.getRequestId())
                .build();
    }

    /** A reply of the prototype's type carrying only {@code meta} and {@code error}. */
    @SuppressWarnings("unchecked")
    static <R extends Message> R errorReply(R prototype, Meta replyMeta, Failure failure) {
        return (R) prototype.newBuilderForType()
                .setField(field(prototype, "meta"), replyMeta)
                .setField(field(prototype, "error"), failure.toError())
                .build();
    }

    /** Maps an unexpected exception to a failure the caller can be told about, and logs it. */
    static Failure unexpected(Exception e) {
        if (e instanceof Failure failure) {
            return failure;
        }
        LOG.log(Level.WARNING, "request failed", e);
        if (e instanceof IOException) {
            return new Failure(Error.Code.UNAVAILABLE, "storage unavailable: " + e.getMessage(), Map.of());
        }
        return new Failure(Error.Code.INTERNAL, "internal error: " + e.getClass().getSimpleName(), Map.of());
    }

    /** Sends the reply unless the request had no reply subject (a fire-and-forget publish). */
    static void respond(Connection conn, ServiceMessage msg, Message reply) {
        if (msg.getReplyTo() != null && !msg.getReplyTo().isEmpty()) {
            msg.respond(conn, reply.toByteArray());
        }
    }

    /**
     * A request/reply handler: decodes the request, runs {@code logic}, sets the reply's meta,
     * and answers every failure (bad bytes, a {@link Failure}, any other exception) with an
     * error reply of the same type.
     */
    static <Q extends Message, R extends Message> ServiceMessageHandler handler(
            Connection conn, Parser<Q> parser, R prototype, Logic<Q, R> logic) {
        return msg -> {
            Meta meta = Meta.getDefaultInstance();
            Message reply;
            try {
                Q request = decode(msg, parser);
                meta = replyMeta(meta(request));
                R result = logic.apply(request);
                if (result == null) {
                    return;
                }
                reply = result.toBuilder().setField(field(prototype, "meta"), meta).build();
            } catch (Exception e) {
                reply = errorReply(prototype, meta, unexpected(e));
            }
            respond(conn, msg, reply);
        };
    }

    /** A NATS micro-service (it answers {@code $SRV.PING|INFO|STATS}) with these endpoints; not started yet. */
    static Service service(Connection conn, String name, String description, ServiceEndpoint... endpoints) {
        ServiceBuilder builder = Service.builder().connection(conn).name(name).version(VERSION).description(description);
        for (ServiceEndpoint endpoint : endpoints) {
            builder.addServiceEndpoint(endpoint);
        }
        return builder.build();
    }

    /** An endpoint on a full subject such as {@code svc.quest.v1.generate}, in a queue group. */
    static ServiceEndpoint endpoint(String name, String subject, String queueGroup, ServiceMessageHandler handler) {
        return ServiceEndpoint.builder()
                .endpointName(name)
                .endpointSubject(subject)
                .endpointQueueGroup(queueGroup)
                .handler(handler)
                .build();
    }

    private static FieldDescriptor field(Message message, String name) {
        return message.getDescriptorForType().findFieldByName(name);
    }
}
