package gaming.gateway.transcode;

import common.v1.Error;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.StatusTable;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * Turns a service's reply, or one chunk of a streamed reply, into its Protobuf message or a typed
 * error, the same way on the plain and the streaming path: first the NATS Service API headers
 * ({@code Nats-Service-Error-Code}, {@code Nats-Service-Error}), then the bytes parsed as the
 * expected type, then the message's {@code error} field ({@code common.v1.Error}) mapped by the
 * route's {@link StatusTable}. The type may be generated or a descriptor set's
 * ({@link com.google.protobuf.DynamicMessage}). Made once per route and type; safe to share between threads.
 */
public final class ReplyDecoder {
    private final String subject;
    private final Message prototype;
    private final FieldDescriptor errorField;
    private final StatusTable table;

    private ReplyDecoder(String subject, Message prototype, StatusTable table) {
        this.subject = subject;
        this.prototype = prototype;
        FieldDescriptor error = prototype.getDescriptorForType().findFieldByName("error");
        this.errorField = error != null && error.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && error.getMessageType().getFullName().equals(Error.getDescriptor().getFullName()) ? error : null;
        this.table = table;
    }

    /**
     * The decoder of replies of {@code prototype}'s type from {@code subject}.
     *
     * @param subject   the subject the request went to, named in errors
     * @param prototype the expected type, e.g. {@code GetModelResponse.getDefaultInstance()}
     * @param table     the route's status table for the {@code error} field
     */
    public static ReplyDecoder create(String subject, Message prototype, StatusTable table) {
        return new ReplyDecoder(subject, prototype, table);
    }

    /**
     * The reply parsed, its {@code error} field checked.
     *
     * @throws GatewayException the service's error (headers: their status, 400..599, else 502; the
     *                          {@code error} field: the status table's status), 502 when the bytes are
     *                          not the expected type
     */
    public Message decode(io.nats.client.Message reply) {
        Message parsed = parse(reply);
        GatewayException error = errorOf(parsed);
        if (error != null) {
            throw error;
        }
        return parsed;
    }

    /**
     * The reply's headers checked and its bytes parsed; the {@code error} field not looked at.
     *
     * @throws GatewayException the error the headers report, or 502 when the bytes are not the expected type
     */
    public Message parse(io.nats.client.Message reply) {
        ServiceErrorHeaders.check(subject, reply);
        try {
            return prototype.getParserForType().parseFrom(reply.getData());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.badReply(subject, "not a " + prototype.getDescriptorForType().getFullName());
        }
    }

    /**
     * The error {@code message}'s {@code error} field reports, or null when it has none (or code {@code UNSPECIFIED}).
     *
     * @throws GatewayException 502 when the field of a descriptor-set type does not parse as a {@code common.v1.Error}
     */
    public GatewayException errorOf(Message message) {
        return errorField != null && message.hasField(errorField)
                ? GatewayException.fromService(error(message.getField(errorField)), table)
                : null;
    }

    /**
     * {@code value}, the value of an {@code error} field, as an {@link Error}: a generated reply holds
     * an {@link Error}; a reply of a descriptor-set type (a {@link com.google.protobuf.DynamicMessage})
     * holds a dynamic message with the same fields, read back from its bytes (only on replies that
     * carry an error, so off the hot path).
     */
    private Error error(Object value) {
        if (value instanceof Error error) {
            return error;
        }
        try {
            return Error.parseFrom(((Message) value).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.badReply(subject, "its error is not a " + Error.getDescriptor().getFullName());
        }
    }
}
