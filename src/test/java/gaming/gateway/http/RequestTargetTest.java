package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestTargetTest {
    @Test
    void canonicalPathsPass() {
        for (String path : new String[] {"/", "/health", "/ai/models/gpt-5-mini/select", "/ai/models/m%3A1", "/a/b%20c",
                "/ai/models/m.1_x~y"}) {
            assertDoesNotThrow(() -> RequestTarget.check(path), path);
        }
    }

    @Test
    void everyFormThatOnlyMatchesAfterNormalisationIs400() {
        String[][] cases = {
                {"/ai/models;x/m/select", "';' in the path: path segment parameters are not supported"},
                {"/ai/models/m/select;", "';' in the path: path segment parameters are not supported"},
                {"/ai/models/m/%73elect", "percent-encoded 's' in the path: send it unencoded"},
                {"/ai/models/m/%7Eselect", "percent-encoded '~' in the path: send it unencoded"},
                {"/ai/models/m%2Fselect", "percent-encoded '/' in the path: send it unencoded"},
                {"/ai/models/%2e%2E/select", "percent-encoded '.' in the path: send it unencoded"},
                {"/ai/models/../models/m/select", "empty, '.' or '..' segment in the path"},
                {"/ai/models/./m", "empty, '.' or '..' segment in the path"},
                {"/ai//models", "empty, '.' or '..' segment in the path"},
                {"/health/", "empty, '.' or '..' segment in the path"},
                {"/ai\\models", "'\\' in the path"},
                {"/ai/models/m%4", "'%' in the path is not followed by two hex digits"},
                {"/ai/models/m%zz", "'%' in the path is not followed by two hex digits"},
                {"*", "the request target must be a path starting with '/'"},
                {"ai/models/m/select", "the request target must be a path starting with '/'"}};
        for (String[] c : cases) {
            GatewayException e = assertThrows(GatewayException.class, () -> RequestTarget.check(c[0]), c[0]);
            assertEquals(400, e.status(), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }
}
