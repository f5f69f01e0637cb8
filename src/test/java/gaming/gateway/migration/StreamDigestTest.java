package gaming.gateway.migration;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class StreamDigestTest {
    private static final JsonDiff DIFF = new JsonDiff(List.of("/index"), List.of());

    @Test
    void theDeltasAreConcatenatedPerPathAndTheLastChunkKept() {
        StreamDigest d = StreamDigest.of("""
                : keep-alive

                id: 0
                data: {"index":0,"delta":{"output_text_delta":"Once"},"other":"x"}

                event: message
                data: {"index":1,"delta":{"output_text_delta":" upon"},"textDelta":"a"}

                data: {"index":2,"is_final":true,
                data: "finish_reason":"stop"}
                """);
        assertThat(d.text().toString(), is("{\"delta\":{\"output_text_delta\":\"Once upon\"},\"textDelta\":\"a\"}"));
        assertThat(d.last().toString(), is("{\"index\":2,\"is_final\":true,\"finish_reason\":\"stop\"}"));
        assertThat(d.error().isJsonNull(), is(true));
    }

    @Test
    void anErrorEventIsKeptByItsCodeAndCRLFLinesAreRead() {
        StreamDigest d = StreamDigest.of("data: {\"delta\":{\"d_delta\":\"a\"}}\r\n\r\nevent: error\r\n"
                                                 + "data: {\"status\":504,\"code\":\"STREAM_IDLE\",\"trace_id\":\"t\"}\r\n\r\n");
        assertThat(d.text().toString(), is("{\"delta\":{\"d_delta\":\"a\"}}"));
        assertThat(d.last().toString(), is("{\"delta\":{\"d_delta\":\"a\"}}"));
        assertThat(d.error().getAsString(), is("STREAM_IDLE"));
    }

    @Test
    void differencesAreNamedByPartWithTheChunksIgnoredPathsLeftOut() {
        StreamDigest legacy = StreamDigest.of("data: {\"index\":0,\"t_delta\":\"ab\"}\n\ndata: {\"index\":1,\"final\":\"stop\"}\n\n");
        StreamDigest nats = StreamDigest.of("data: {\"index\":0,\"t_delta\":\"a\"}\n\ndata: {\"index\":1,\"t_delta\":\"c\"}\n\n"
                                                    + "data: {\"index\":2,\"final\":\"length\"}\n\nevent: error\ndata: {\"code\":\"X\"}\n\n");
        List<JsonDiff.Difference> out = StreamDigest.compare(DIFF, legacy, nats);
        assertThat(out.stream().map(x -> x.path() + "=" + x.left() + "|" + x.right()).toList(),
                   is(List.of("(text)/t_delta=\"ab\"|\"ac\"", "(final)/final=\"stop\"|\"length\"", "(error)=null|\"X\"")));
        StreamDigest same = StreamDigest.of("data: {\"index\":5,\"t_delta\":\"a\"}\n\ndata: {\"t_delta\":\"b\",\"index\":9,\"final\":\"stop\"}\n\n");
        assertThat(StreamDigest.compare(DIFF, legacy, same).stream().map(JsonDiff.Difference::path).toList(),
                   is(List.of("(final)/t_delta")));
    }
}
