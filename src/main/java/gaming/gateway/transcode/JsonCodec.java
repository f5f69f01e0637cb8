package gaming.gateway.transcode;

import gaming.gateway.error.GatewayException;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON to and from one Protobuf message type, with the parser and printer built once per route.
 * Parsing accepts proto field names and lowerCamelCase, in one pass ({@link DirectJson}) where the
 * type allows, else a strict check ({@link StrictJson}) and then {@code JsonFormat}; printing follows proto3 JSON with proto
 * field names (snake_case), leaving out default values, except the stream position fields
 * {@code index} and {@code is_final}, which are always printed, as in the original description's
 * stream ({@code "index":0,"is_final":false}).
 */
public final class JsonCodec {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private static final List<String> ALWAYS_PRINTED = List.of("index", "is_final");

    private final Message prototype;
    private final JsonFormat.Parser parser;
    private final DirectJson direct;
    private final JsonFormat.Printer printer;

    private JsonCodec(Message prototype, boolean rejectUnknownFields) {
        this.prototype = prototype;
        JsonFormat.Parser strict = JsonFormat.parser();
        this.parser = rejectUnknownFields ? strict : strict.ignoringUnknownFields();
        this.direct = DirectJson.forType(prototype.getDescriptorForType(), !rejectUnknownFields);
        Set<FieldDescriptor> always = new HashSet<>();
        for (String name : ALWAYS_PRINTED) {
            FieldDescriptor field = prototype.getDescriptorForType().findFieldByName(name);
            if (field != null && !field.isRepeated() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                always.add(field);
            }
        }
        this.printer = always.isEmpty() ? PRINTER : PRINTER.includingDefaultValueFields(always);
    }

    /** A codec for messages of {@code prototype}'s type. */
    public static JsonCodec create(Message prototype, boolean rejectUnknownFields) {
        return new JsonCodec(prototype, rejectUnknownFields);
    }

    /**
     * A builder filled from a UTF-8 JSON object; an empty body is an empty message.
     *
     * @throws GatewayException 400 for invalid UTF-8, malformed JSON, wrong types or (when rejected)
     *                          unknown fields
     */
    public Message.Builder parse(byte[] body) {
        Message.Builder builder = prototype.newBuilderForType();
        String json = decodeUtf8(body);
        if (json.isBlank()) {
            return builder;
        }
        int surrogate = LoneSurrogates.find(json);
        if (surrogate >= 0) {
            throw GatewayException.invalidArgument("invalid JSON for " + prototype.getDescriptorForType().getName()
                    + JsonErrors.position(json, surrogate) + ": " + json.substring(surrogate, surrogate + 6)
                    + " is half of a UTF-16 surrogate pair without the other half; strings must be Unicode text");
        }
        try {
            if (direct != null) {
                direct.merge(json, builder);
            } else {
                StrictJson.check(json, prototype.getDescriptorForType());
                parser.merge(json, builder);
            }
        } catch (IOException | RuntimeException e) {
            throw GatewayException.invalidArgument("invalid JSON for " + prototype.getDescriptorForType().getName()
                                                           + reason(JsonErrors.describe(e)));
        } catch (StackOverflowError e) {
            throw GatewayException.invalidArgument("JSON is nested too deeply");
        }
        return builder;
    }

    /**
     * {@code message} as compact JSON with proto field names.
     *
     * @throws GatewayException 502 when the message cannot be written as JSON
     */
    public String print(MessageOrBuilder message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // e.g. a Struct holding an infinite number, which JSON cannot carry
            throw GatewayException.unprintableReply(prototype.getDescriptorForType().getFullName(), reason(e));
        }
    }

    private static String decodeUtf8(byte[] body) {
        if (isAscii(body)) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw GatewayException.invalidArgument("request body is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : reason(message);
    }

    private static String reason(String message) {
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
