package gaming.gateway.legacy;

import java.util.List;

/**
 * A legacy service's answer as it came: status, end-to-end headers (hop-by-hop ones and
 * {@code Content-Length} removed) and body.
 *
 * @param status      the HTTP status
 * @param headers     header name and value pairs in the order received, without hop-by-hop headers
 * @param contentType the {@code Content-Type}, empty when none
 * @param body        the body bytes, empty for none
 */
public record LegacyAnswer(int status, List<Header> headers, String contentType, byte[] body) {
    /** One header line. */
    public record Header(String name, String value) {
    }
}
