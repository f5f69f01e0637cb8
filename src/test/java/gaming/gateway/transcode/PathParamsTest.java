package gaming.gateway.transcode;

import gaming.gateway.error.GatewayException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathParamsTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt-5-pro", "gpt-4.1", "llama_3:8b", "org@model~v2", "a", "..a"})
    void validIdsAreReturnedUnchanged(String value) {
        assertThat(PathParams.check("model_id", value), is(value));
    }

    @Test
    void idOf128CharsIsAccepted() {
        assertThat(PathParams.check("model_id", "x".repeat(128)).length(), is(128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", ">", "gpt.*", "gpt.>", "gpt 5", "gpt\u00005", "gpt\n5", "gpt\u007f", "gpt/5",
                            "modèle", "", ".", ".."})
    void invalidIdsAreA400NamingTheParameter(String value) {
        GatewayException e = assertThrows(GatewayException.class, () -> PathParams.check("model_id", value));

        assertThat(e.status(), is(400));
        assertThat(e.code(), is("INVALID_ARGUMENT"));
        assertThat(e.getMessage(), containsString("model_id"));
    }

    @Test
    void nullAndTooLongAreRejected() {
        assertThat(assertThrows(GatewayException.class, () -> PathParams.check("id", null)).status(), is(400));
        assertThat(assertThrows(GatewayException.class, () -> PathParams.check("id", "x".repeat(129))).status(), is(400));
    }
}
