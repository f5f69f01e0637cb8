package gaming.gateway.error;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class ProblemTest {

    @Test
    void bodyHasEveryRfc9457MemberPlusCodeAndTraceId() throws Exception {
        Struct body = parse(Problem.body(GatewayException.invalidArgument("model_id is bad"), "trace-1"));

        assertThat(string(body, "type"), is("urn:http-nats-gateway:error:invalid-argument"));
        assertThat(string(body, "title"), is("Bad request"));
        assertThat(body.getFieldsOrThrow("status").getNumberValue(), is(400.0));
        assertThat(string(body, "detail"), is("model_id is bad"));
        assertThat(string(body, "code"), is("INVALID_ARGUMENT"));
        assertThat(string(body, "trace_id"), is("trace-1"));
        assertThat("gateway errors have no details", body.containsFields("details"), is(false));
    }

    @Test
    void quotesBackslashesNewlinesAndControlCharsAreEscaped() throws Exception {
        String nasty = "say \"hi\"\\ \n line\r\ttab \u0000\u0001\u001f end é 😀";
        byte[] bytes = Problem.body(GatewayException.invalidArgument(nasty), "t\"\n");

        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text.chars().noneMatch(c -> c < 0x20), is(true));
        assertThat(text, containsString("\\u0000"));
        assertThat(text, containsString("\\u001f"));
        assertThat(text, not(containsString("\n")));
        Struct body = parse(bytes);
        assertThat(string(body, "detail"), is(nasty));
        assertThat(string(body, "trace_id"), is("t\"\n"));
    }

    @Test
    void serviceErrorCarriesItsStatusAndDetails() throws Exception {
        var error = GatewayException.fromService(409, "CONFLICT", "version \"3\" is stale",
                                                 Map.of("field", "expected_version", "a\"b", "x\ny"));
        Struct body = parse(Problem.body(error, "abc"));

        assertThat(body.getFieldsOrThrow("status").getNumberValue(), is(409.0));
        assertThat(string(body, "code"), is("CONFLICT"));
        assertThat(string(body, "type"), is("urn:http-nats-gateway:error:conflict"));
        Struct details = body.getFieldsOrThrow("details").getStructValue();
        assertThat(string(details, "field"), is("expected_version"));
        assertThat(string(details, "a\"b"), is("x\ny"));
    }

    @Test
    void serviceDetailsAreInKeyOrderSoTheSameErrorGivesTheSameBody() {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("key", "player:123:inventory");
        details.put("current_version", "1");
        String text = new String(Problem.body(GatewayException.fromService(412, "FAILED_PRECONDITION", "stale", details), "t"),
                                 StandardCharsets.UTF_8);
        assertThat(text, containsString(",\"details\":{\"current_version\":\"1\",\"key\":\"player:123:inventory\"}}"));
    }

    @Test
    void missingTraceIdIsAnEmptyString() throws Exception {
        Struct body = parse(Problem.body(GatewayException.timeout("svc.x", 100), null));

        assertThat(string(body, "trace_id"), is(""));
        assertThat(body.getFieldsOrThrow("status").getNumberValue(), is(504.0));
        assertThat(string(body, "code"), is("TIMEOUT"));
    }

    private static Struct parse(byte[] json) throws Exception {
        Struct.Builder struct = Struct.newBuilder();
        JsonFormat.parser().merge(new String(json, StandardCharsets.UTF_8), struct);
        return struct.build();
    }

    private static String string(Struct struct, String field) {
        Value value = struct.getFieldsOrThrow(field);
        assertThat(field + " is a string", value.getKindCase(), is(Value.KindCase.STRING_VALUE));
        return value.getStringValue();
    }
}
