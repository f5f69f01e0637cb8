package gaming.gateway.transcode;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetaHeadersTest {

    @Test
    void everyHeaderOfTheTableFillsItsField() {
        var headers = WritableHeaders.create()
                .set(TraceContext.X_TRACE_ID, "trace-1")
                .set(HeaderNames.create("X-Client-ID"), "client-1")
                .set(HeaderNames.create("X-User-ID"), "user-1")
                .set(HeaderNames.create("X-Tenant-ID"), "tenant-1")
                .set(HeaderNames.create("Idempotency-Key"), "key-1")
                .set(HeaderNames.create("X-Custom-Region"), "eu-west");

        Meta meta = MetaHeaders.toMeta(headers, "trace-1").build();

        assertThat(meta.getTraceId(), is("trace-1"));
        assertThat(meta.getClientId(), is("client-1"));
        assertThat(meta.getUserId(), is("user-1"));
        assertThat(meta.getTenantId(), is("tenant-1"));
        assertThat(meta.getIdempotencyKey(), is("key-1"));
        assertThat(meta.getLabelsMap(), is(Map.of("region", "eu-west")));
        assertThat("only the gateway sets request_id", meta.getRequestId(), is(""));
        assertThat("only the gateway sets the deadline", meta.getDeadlineUnixMs(), is(0L));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        var headers = WritableHeaders.create()
                .set(HeaderNames.create("x-client-id"), "c")
                .set(HeaderNames.create("X-TENANT-ID"), "t");

        Meta meta = MetaHeaders.toMeta(headers, "tr").build();

        assertThat(meta.getClientId(), is("c"));
        assertThat(meta.getTenantId(), is("t"));
    }

    @Test
    void labelNameIsTheLowerCasedRestOfTheHeaderName() {
        var headers = WritableHeaders.create().set(HeaderNames.create("X-Custom-Foo-Bar"), "Some Value");

        assertThat(MetaHeaders.toMeta(headers, "t").getLabelsMap(), hasEntry("foo-bar", "Some Value"));
    }

    @Test
    void thirtyTwoLabelsAreAccepted() {
        Meta.Builder meta = MetaHeaders.toMeta(labels(32), "t");

        assertThat(meta.getLabelsMap(), aMapWithSize(32));
        assertThat(meta.getLabelsMap(), hasEntry("l31", "v31"));
    }

    @Test
    void thirtyThreeLabelsAreA400() {
        GatewayException e = assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(labels(33), "t"));

        assertThat(e.status(), is(400));
        assertThat(e.code(), is("INVALID_ARGUMENT"));
    }

    @Test
    void labelValueOf256BytesIsAcceptedAnd257IsA400() {
        var ok = WritableHeaders.create().set(HeaderNames.create("X-Custom-A"), "x".repeat(256));
        var tooLong = WritableHeaders.create().set(HeaderNames.create("X-Custom-A"), "x".repeat(257));

        assertThat(MetaHeaders.toMeta(ok, "t").getLabelsOrThrow("a").length(), is(256));
        assertThat(assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(tooLong, "t")).status(), is(400));
    }

    @Test
    void nonAsciiLabelValueIsA400() {
        // header values arrive as ISO-8859-1 bytes: a UTF-8 label would reach the service garbled
        var headers = WritableHeaders.create().set(HeaderNames.create("X-Custom-Zone"), "\u00fcber");

        assertThat(assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(headers, "t")).status(), is(400));
    }

    @Test
    void labelHeaderWithoutANameIsA400() {
        var headers = WritableHeaders.create().set(HeaderNames.create("X-Custom-"), "v");

        assertThat(assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(headers, "t")).status(), is(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Trace-ID", "X-Client-ID", "X-User-ID", "X-Tenant-ID", "Idempotency-Key"})
    void nonAsciiOrControlCharsInAnIdHeaderAreA400(String header) {
        for (String bad : new String[] {"usér", "tab\there", "bell\u0007", "del\u007f"}) {
            var headers = WritableHeaders.create().set(HeaderNames.create(header), bad);

            GatewayException e = assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(headers, "t"), bad);
            assertThat(e.status(), is(400));
            assertThat(e.getMessage(), containsString(header));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Client-ID", "X-User-ID", "X-Tenant-ID", "Idempotency-Key"})
    void idHeaderLongerThan256IsA400(String header) {
        var ok = WritableHeaders.create().set(HeaderNames.create(header), "a".repeat(256));
        var tooLong = WritableHeaders.create().set(HeaderNames.create(header), "a".repeat(257));

        MetaHeaders.toMeta(ok, "t");
        assertThat(assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(tooLong, "t")).status(), is(400));
    }

    /**
     * TraceContext skips an X-Trace-ID longer than 128 characters and documents that MetaHeaders
     * rejects it with 400. If MetaHeaders accepts it, the client's trace id is silently replaced.
     */
    @Test
    void xTraceIdThatTraceContextSkipsIsA400() {
        var headers = WritableHeaders.create().set(TraceContext.X_TRACE_ID, "a".repeat(200));
        String traceId = TraceContext.traceIdOf(headers);

        GatewayException e = assertThrows(GatewayException.class, () -> MetaHeaders.toMeta(headers, traceId),
                                          "a 200-char X-Trace-ID is neither used (trace id " + traceId + ") nor rejected");
        assertThat(e.status(), is(400));
    }

    private static WritableHeaders<?> labels(int count) {
        var headers = WritableHeaders.create();
        for (int i = 0; i < count; i++) {
            headers.set(HeaderNames.create("X-Custom-L" + i), "v" + i);
        }
        return headers;
    }

    private static WritableHeaders<?> label(String value) {
        return WritableHeaders.create().set(HeaderNames.create("X-Custom-A"), value);
    }
}
