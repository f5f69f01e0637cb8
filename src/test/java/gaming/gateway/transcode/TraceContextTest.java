package gaming.gateway.transcode;

import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

class TraceContextTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String VALID = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void validTraceparentYieldsItsTraceId() {
        assertThat(TraceContext.isValidTraceparent(VALID), is(true));
        assertThat(TraceContext.traceIdFromTraceparent(VALID), is(TRACE_ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",     // too short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",   // too long
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper-case trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",    // upper-case parent id
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // all-zero parent id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // forbidden version
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",    // wrong separators
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
            "",
    })
    void invalidTraceparentIsRejected(String value) {
        assertThat(TraceContext.isValidTraceparent(value), is(false));
        assertThat(TraceContext.traceIdFromTraceparent(value), is(nullValue()));
    }

    @Test
    void xTraceIdWinsOverTraceparent() {
        Headers headers = WritableHeaders.create()
                .set(TraceContext.X_TRACE_ID, "client-trace-7")
                .set(TraceContext.TRACEPARENT, VALID);

        assertThat(TraceContext.traceIdOf(headers), is("client-trace-7"));
    }

    @Test
    void traceparentIsUsedWithoutXTraceId() {
        Headers headers = WritableHeaders.create().set(TraceContext.TRACEPARENT, VALID);

        assertThat(TraceContext.traceIdOf(headers), is(TRACE_ID));
    }

    @Test
    void invalidXTraceIdFallsBackToTraceparent() {
        Headers headers = WritableHeaders.create()
                .set(TraceContext.X_TRACE_ID, "tab\there")
                .set(TraceContext.TRACEPARENT, VALID);

        assertThat(TraceContext.traceIdOf(headers), is(TRACE_ID));
    }

    @Test
    void withoutHeadersANewTraceIdIsGeneratedEachTime() {
        String first = TraceContext.traceIdOf(WritableHeaders.create());
        String second = TraceContext.traceIdOf(WritableHeaders.create());

        assertThat(first, matchesPattern("[0-9a-f]{32}"));
        assertThat(second, matchesPattern("[0-9a-f]{32}"));
        assertThat(first, not(second));
    }

    @Test
    void invalidTraceparentAloneGivesAGeneratedId() {
        Headers headers = WritableHeaders.create()
                .set(TraceContext.TRACEPARENT, "00-00000000000000000000000000000000-00f067aa0ba902b7-01");

        String id = TraceContext.traceIdOf(headers);
        assertThat(id, matchesPattern("[0-9a-f]{32}"));
        assertThat(id, not("00000000000000000000000000000000"));
    }

    @Test
    void newTraceparentKeepsA32HexTraceIdWithANewSpan() {
        String first = TraceContext.newTraceparent(TRACE_ID);
        String second = TraceContext.newTraceparent(TRACE_ID);

        assertThat(first, matchesPattern("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
        assertThat(TraceContext.isValidTraceparent(first), is(true));
        assertThat("span id is new", first, not(second));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-trace-7", "4BF92F3577B34DA6A3CE929D0E0E4736", "00000000000000000000000000000000"})
    void newTraceparentForANonW3cTraceIdIsStillValid(String traceId) {
        String traceparent = TraceContext.newTraceparent(traceId);

        assertThat(TraceContext.isValidTraceparent(traceparent), is(true));
        assertThat(traceparent, not(org.hamcrest.Matchers.containsString(traceId)));
    }

    @Test
    void randomHexHasTwoCharsPerByte() {
        assertThat(TraceContext.randomHex(8), matchesPattern("[0-9a-f]{16}"));
        assertThat(TraceContext.randomHex(16), matchesPattern("[0-9a-f]{32}"));
        assertThat(TraceContext.randomHex(3), matchesPattern("[0-9a-f]{6}"));
    }
}
