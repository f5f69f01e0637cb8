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
        Struct body = assertProblem(response.body(), response.statusCode(),
                                    response.headers().firstValue("Content-Type").orElse(""), response.body(), status, code);
        assertThat(body.getFieldsOrThrow("trace_id").getStringValue(),
                   is(response.headers().firstValue("X-Trace-ID").orElse("missing")));
        return body;
    }

    /**
     * Asserts a response given as its parts (from a raw socket) is a problem+json with
     * {@code status} and {@code code}; returns the parsed body.
     *
     * @param what what the response answers, for the failure messages
     */
    public static Struct assertProblem(String what, int actualStatus, String contentType, String json, int status,
                                       String code) {
        assertThat("status of " + what, actualStatus, is(status));
        assertThat("content type of " + what, contentType, is("application/problem+json"));
        Struct body = parse(json);
        assertThat("status field of " + what, body.getFieldsOrThrow("status").getNumberValue(), is((double) status));
        assertThat("code of " + what, body.getFieldsOrThrow("code").getStringValue(), is(code));
        assertThat("type of " + what, body.getFieldsOrThrow("type").getStringValue(), not(emptyString()));
        assertThat("title of " + what, body.getFieldsOrThrow("title").getStringValue(), not(emptyString()));
        assertThat("detail of " + what, body.getFieldsOrThrow("detail").getStringValue(), not(emptyString()));
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
