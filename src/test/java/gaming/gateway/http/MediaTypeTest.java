package gaming.gateway.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaTypeTest {
    @Test
    void typeSubtypeAndParameterNamesAreCaseInsensitiveAndWhitespaceIsOptional() {
        assertEquals(new MediaType("application", "json", Map.of("charset", "UTF-8")),
                     MediaType.parse("  APPLICATION/Json ;\tCharSet=UTF-8  "));
        assertEquals(new MediaType("application", "json", Map.of("charset", "utf-8", "x", "a;b\"c")),
                     MediaType.parse("application/json;charset=\"utf-8\"; x=\"a;b\\\"c\""));
        assertEquals(new MediaType("application", "json", Map.of()), MediaType.parse("application/json;;"));
    }

    @Test
    void jsonInUtf8IsJsonAndOtherCharsetsAreNot() {
        assertTrue(MediaType.parse("application/json").isJsonUtf8());
        assertTrue(MediaType.parse("Application/Problem+JSON; charset=UTF-8").isJsonUtf8());
        assertFalse(MediaType.parse("application/json; charset=iso-8859-1").isJsonUtf8());
        assertFalse(MediaType.parse("text/json").isJsonUtf8());
        assertFalse(MediaType.parse("application/jsonx").isJsonUtf8());
    }

    @Test
    void malformedMediaTypesAreRejected() {
        for (String text : new String[] {"", "application", "application/", "application/ json", "/json",
                "application/json; charset", "application/json; charset=\"utf-8", "application/json, text/plain",
                "applic@tion/json"}) {
            assertThrows(IllegalArgumentException.class, () -> MediaType.parse(text), text);
        }
    }
}
