package gaming.gateway.transcode;

import ai.model.v1.GetModelResponse;
import ai.model.v1.Model;
import common.v1.Error;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.StatusTable;

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
}
