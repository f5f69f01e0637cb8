package gaming.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

import java.net.http.HttpResponse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

/** Assertions on RFC 9457 problem+json responses. */
public final class Problems {
    private Problems() {
    }

    /** Asserts {@code response} is a problem+json with {@code status} and {@code code}; returns the parsed body. */
    public static Struct assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat("status of " + response.body(), response.statusCode(), is(status));
        assertThat(response.headers().firstValue("Content-Type").orElse(""), is("application/problem+json"));
        Struct body = parse(response.body());
        assertThat(body.getFieldsOrThrow("status").getNumberValue(), is((double) status));
        assertThat(body.getFieldsOrThrow("code").getStringValue(), is(code));
        assertThat(body.getFieldsOrThrow("type").getStringValue(), not(emptyString()));
        assertThat(body.getFieldsOrThrow("title").getStringValue(), not(emptyString()));
        assertThat(body.getFieldsOrThrow("detail").getStringValue(), not(emptyString()));
        assertThat(body.getFieldsOrThrow("trace_id").getStringValue(),
                   is(response.headers().firstValue("X-Trace-ID").orElse("missing")));
        return body;
    }

    /** Parses a JSON object. */
    public static Struct parse(String json) {
        Struct.Builder builder = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a JSON object: " + json, e);
        }
        return builder.build();
    }
}
