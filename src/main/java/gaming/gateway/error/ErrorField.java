package gaming.gateway.error;

import common.v1.Error;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * The {@code common.v1.Error} of a reply's {@code error} field, whatever the reply's Java form: a
 * generated reply holds an {@link Error}, a reply of a descriptor-set type (a
 * {@link com.google.protobuf.DynamicMessage}) holds a dynamic message with the same fields, read
 * back as an {@link Error} from its bytes (only on replies that carry an error).
 */
public final class ErrorField {
    private ErrorField() {
    }

    /**
     * {@code value}, the value of an {@code error} field, as an {@link Error}.
     *
     * @throws GatewayException 502 when a dynamic value does not parse as an {@link Error}
     */
    public static Error of(Object value) {
        if (value instanceof Error error) {
            return error;
        }
        try {
            return Error.parseFrom(((Message) value).toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.of(502, "BAD_REPLY", "Bad gateway", "the reply's error is not a common.v1.Error");
        }
    }
}
