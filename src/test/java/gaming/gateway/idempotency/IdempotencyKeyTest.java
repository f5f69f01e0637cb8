package gaming.gateway.idempotency;

import gaming.gateway.error.GatewayException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code Idempotency-Key} values: RFC 8941 quoted strings and bare tokens. */
class IdempotencyKeyTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "8e03978e-40d5-43e8-bc93-6894a57f9324             | 8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"         | 8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"with space and \\\"quotes\\\" and \\\\\"        | with space and \"quotes\" and \\",
            "order:42/retry*1                                 | order:42/retry*1",
    })
    void acceptsTokensAndQuotedStrings(String header, String key) {
        assertThat(IdempotencyKey.fromHeader(header), is(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "a b", "a,b", "a;b", "\"open", "\"a\"b", "\"a\\x\"", "\"a\\\"", "(a)", "a\"b"})
    void rejectsOtherValuesWith400(String header) {
        GatewayException e = assertThrows(GatewayException.class, () -> IdempotencyKey.fromHeader(header));
        assertThat(e.status(), is(400));
        assertThat(e.code(), is("INVALID_ARGUMENT"));
    }

    @Test
    void keysUpTo255CharactersAreAccepted() {
        assertThat(IdempotencyKey.fromHeader("k".repeat(255)), is("k".repeat(255)));
        assertThat(IdempotencyKey.fromHeader("\"" + "k".repeat(255) + "\""), is("k".repeat(255)));
        assertThat(IdempotencyKey.fromBody("a b ".repeat(63) + "abc"), is("a b ".repeat(63) + "abc"));
        assertThat(assertThrows(GatewayException.class, () -> IdempotencyKey.fromHeader("k".repeat(256))).status(), is(400));
        assertThat(assertThrows(GatewayException.class, () -> IdempotencyKey.fromBody("k".repeat(256))).status(), is(400));
        assertThat(assertThrows(GatewayException.class, () -> IdempotencyKey.fromBody("caf\u00e9")).status(), is(400));
    }
}
