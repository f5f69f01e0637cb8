package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptNegotiationTest {
    @Test
    void theMostSpecificRangeGivesTheWeight() {
        AcceptNegotiation accept = AcceptNegotiation.of(List.of("text/*;q=0.3, */*;q=0.1", "TEXT/Event-Stream;q=0.7"));
        assertEquals(0.7, accept.quality("text", "event-stream"));
        assertEquals(0.3, accept.quality("text", "plain"));
        assertEquals(0.1, accept.quality("application", "json"));
        assertTrue(accept.namesExactly("text", "event-stream"));
        assertFalse(accept.namesExactly("text", "plain"));
    }

    @Test
    void zeroIsNotAcceptableAndAnUnmatchedTypeWeighsZero() {
        AcceptNegotiation accept = AcceptNegotiation.of(List.of("text/event-stream;q=0, application/json"));
        assertEquals(0, accept.quality("text", "event-stream"));
        assertFalse(accept.namesExactly("text", "event-stream"));
        assertEquals(1, accept.quality("application", "json"));
        assertEquals(0, accept.quality("image", "png"));
    }

    @Test
    void noAcceptHeaderWeighsEveryTypeOne() {
        assertEquals(1, AcceptNegotiation.of(List.of()).quality("text", "event-stream"));
        // a list of empty elements names no range: as if there were no Accept header
        assertEquals(1, AcceptNegotiation.of(List.of(", ,")).quality("text", "event-stream"));
    }

    @Test
    void malformedListsAndWeightsAre400() {
        for (String value : new String[] {"text/event-stream;q=2", "text/event-stream;q=0.1234", "text/event-stream;q=",
                "text/event-stream;q=-1", "*/json", "text", "text/event-stream q=1"}) {
            GatewayException e = assertThrows(GatewayException.class, () -> AcceptNegotiation.of(List.of(value)), value);
            assertEquals(400, e.status(), value);
            assertEquals("INVALID_ARGUMENT", e.code(), value);
        }
    }
}
