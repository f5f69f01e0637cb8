package gaming.gateway.route;

import ai.llm.v1.InferRequest;
import common.v1.Error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

class MessageTypesTest {

    @Test
    void generatedMessagesResolveToTheirDefaultInstance() {
        assertThat(MessageTypes.resolve("ai.llm.v1.InferRequest"), sameInstance(InferRequest.getDefaultInstance()));
        assertThat(MessageTypes.resolve("common.v1.Error"), sameInstance(Error.getDefaultInstance()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ai.llm.v1.Nope", "ai.llm.v1.inferrequest", "java.lang.String", "common.v1.Error.Code",
                            "com.google.protobuf.Struct", "InferRequest", ""})
    void namesThatAreNotAGeneratedMessageDoNotResolve(String name) {
        assertThat(MessageTypes.resolve(name), is(nullValue()));
    }
}
