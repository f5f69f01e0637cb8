package gaming.gateway.transcode;

import ai.model.v1.GetModelResponse;
import ai.model.v1.Model;
import common.v1.Error;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.StatusTable;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One decoder for replies and chunks: service-error headers, then the bytes, then the error field. */
class ReplyDecoderTest {
    private static final ReplyDecoder DECODER = ReplyDecoder.create(
            "svc.ai.model.v1.get", GetModelResponse.getDefaultInstance(),
            StatusTable.withOverrides(Map.of(Error.Code.NOT_FOUND, 410)));

    private static NatsMessage reply(byte[] data, Headers headers) {
        return NatsMessage.builder().subject("_INBOX.x").data(data).headers(headers).build();
    }

    @Test
    void readsTheExpectedType() {
        GetModelResponse ok = GetModelResponse.newBuilder().setModel(Model.newBuilder().setModelId("m")).build();
        assertThat(DECODER.decode(reply(ok.toByteArray(), null)), is(ok));
    }

    @Test
    void garbageIs502BadReply() {
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> DECODER.decode(reply(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, null)));
        assertThat(e.status(), is(502));
        assertThat(e.code(), is("BAD_REPLY"));
        assertThat(e.getMessage(), is("invalid reply from svc.ai.model.v1.get: not a ai.model.v1.GetModelResponse"));
    }

    @Test
    void serviceErrorHeadersComeFirst() {
        Headers headers = new Headers().put("Nats-Service-Error-Code", "422").put("Nats-Service-Error", "region unknown");
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> DECODER.parse(reply(new byte[] {(byte) 0xff}, headers)));
        assertThat(e.status(), is(422));
        assertThat(e.code(), is("SERVICE_ERROR"));
        assertThat(e.getMessage(), is("region unknown"));
    }

    @Test
    void errorFieldIsMappedByTheRoutesTableOnDecodeAndLeftForTheCallerOnParse() {
        GetModelResponse failed = GetModelResponse.newBuilder()
                .setError(Error.newBuilder().setCode(Error.Code.NOT_FOUND).setMessage("gone")).build();
        GatewayException e = assertThrows(GatewayException.class, () -> DECODER.decode(reply(failed.toByteArray(), null)));
        assertThat(e.status(), is(410));
        assertThat(e.code(), is("NOT_FOUND"));
        assertThat(e.getMessage(), is("gone"));

        var parsed = DECODER.parse(reply(failed.toByteArray(), null));
        assertThat(parsed, is(failed));
        assertThat(DECODER.errorOf(parsed).status(), is(410));
        assertThat(DECODER.errorOf(GetModelResponse.getDefaultInstance()), nullValue());
    }

    @Test
    void errorFieldOfADescriptorSetTypeIsReadAsCommonError() throws Exception {
        Descriptor type = dynamicReplyType();
        ReplyDecoder decoder = ReplyDecoder.create("test.dyn", DynamicMessage.getDefaultInstance(type),
                                                   StatusTable.withOverrides(Map.of(Error.Code.NOT_FOUND, 410)));
        Error error = Error.newBuilder().setCode(Error.Code.NOT_FOUND).setMessage("no table t9")
                .putDetails("table_id", "t9").build();
        byte[] failed = DynamicMessage.newBuilder(type).setField(type.findFieldByName("error"), error).build().toByteArray();

        Message parsed = decoder.parse(reply(failed, null));
        assertThat(parsed.getField(type.findFieldByName("error")) instanceof DynamicMessage, is(true));
        GatewayException e = assertThrows(GatewayException.class, () -> decoder.decode(reply(failed, null)));
        assertThat(e.status(), is(410));
        assertThat(e.code(), is("NOT_FOUND"));
        assertThat(e.getMessage(), is("no table t9"));
        assertThat(e.details(), is(Map.of("table_id", "t9")));
        assertThat(decoder.decode(reply(new byte[0], null)), is(DynamicMessage.getDefaultInstance(type)));
    }

    /** {@code dyn.v1.Reply { common.v1.Error error = 1; }}, a type with no generated class. */
    private static Descriptor dynamicReplyType() throws Exception {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("dyn/v1/reply.proto").setPackage("dyn.v1").setSyntax("proto3")
                .addDependency(Error.getDescriptor().getFile().getName())
                .addMessageType(DescriptorProto.newBuilder().setName("Reply").addField(
                        FieldDescriptorProto.newBuilder().setName("error").setNumber(1)
                                .setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(".common.v1.Error")))
                .build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[] {Error.getDescriptor().getFile()})
                .findMessageTypeByName("Reply");
    }
}
