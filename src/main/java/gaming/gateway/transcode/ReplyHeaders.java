package gaming.gateway.transcode;

import gaming.gateway.error.GatewayException;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a service may say about the HTTP answer besides its body, through the headers of its NATS
 * reply: the contract services follow (README "Services set status and headers").
 *
 * <ul>
 *   <li>{@value #STATUS}: the success status, one of 200, 201 (Created), 202 (Accepted), 204 (No
 *       Content, sent without a body), or 304 (Not Modified, without a body) only when the request
 *       was conditional ({@code If-None-Match}, RFC 9110 section 13.1.2). Any other value is not
 *       passed on: the client gets 200. Errors go through {@code Nats-Service-Error-Code} or the
 *       reply's {@code error} field, never through this header.</li>
 *   <li>The headers of {@link #STANDARD} and those the route names in {@code reply-headers}, passed
 *       on with their value as sent (names matched without regard to case); at most
 *       {@value #MAX_VALUE_LENGTH} characters of printable ASCII (or tab) each, else dropped; at
 *       most {@value #MAX_TOTAL_LENGTH} characters of names and values in all, the values beyond
 *       dropped, so that a service cannot make the gateway send an unbounded head.</li>
 *   <li>Any other reply header stays between the service and the gateway.</li>
 * </ul>
 *
 * <p>Made once per route; immutable and safe to share between threads.
 */
public final class ReplyHeaders {
    /** The NATS reply header that carries the HTTP status a service asks for. */
    public static final String STATUS = "Http-Status";
    /** Reply headers every route passes on (RFC 9110 / RFC 9111 / RFC 9110 section 10.2.3 names). */
    public static final List<String> STANDARD = List.of(
            "Location", "ETag", "Last-Modified", "Cache-Control", "Retry-After", "Content-Language");
    /** The longest header value passed on, in characters. */
    public static final int MAX_VALUE_LENGTH = 4096;
    /** The most characters of passed-on header names and values in one answer. */
    public static final int MAX_TOTAL_LENGTH = 16 * 1024;
    /** The longest {@code If-None-Match} accepted from a client, in characters; longer is 400. */
    public static final int MAX_IF_NONE_MATCH_LENGTH = 1024;

    private static final String STATUS_KEY = STATUS.toLowerCase(Locale.ROOT);

    private final Map<String, HeaderName> allowed;

    /** The status and headers of one answer: 200 and none unless the service said otherwise. */
    public record Answer(int status, List<Header> headers) {
        /** 200, no headers: a reply without any of the contract's headers. */
        public static final Answer PLAIN = new Answer(200, List.of());

        /** Whether the answer has no body (204, 304: RFC 9110 sections 15.3.5 and 15.4.5). */
        public boolean bodiless() {
            return status == 204 || status == 304;
        }
    }

    private ReplyHeaders(Map<String, HeaderName> allowed) {
        this.allowed = allowed;
    }

    /**
     * The policy of a route that passes on {@link #STANDARD} and {@code routeHeaders}.
     *
     * @param routeHeaders header names the route's config adds, already checked by the route table
     */
    public static ReplyHeaders create(Collection<String> routeHeaders) {
        Map<String, HeaderName> allowed = new HashMap<>();
        for (String name : STANDARD) {
            allowed.put(name.toLowerCase(Locale.ROOT), HeaderNames.create(name));
        }
        for (String name : routeHeaders) {
            allowed.put(name.toLowerCase(Locale.ROOT), HeaderNames.create(name));
        }
        return new ReplyHeaders(Map.copyOf(allowed));
    }

    /**
     * The answer {@code reply}'s headers ask for.
     *
     * @param reply       the service's reply (its error headers already checked)
     * @param conditional whether the request carried {@code If-None-Match}, which allows 304
     * @return {@link Answer#PLAIN} when the reply has no header of the contract
     */
    public Answer read(io.nats.client.Message reply, boolean conditional) {
        if (!reply.hasHeaders()) {
            return Answer.PLAIN;
        }
        int status = 200;
        int total = 0;
        List<Header> out = null;
        for (Map.Entry<String, List<String>> entry : reply.getHeaders().entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(STATUS_KEY)) {
                status = status(entry.getValue().getFirst(), conditional);
                continue;
            }
            HeaderName header = allowed.get(name);
            if (header == null) {
                continue;
            }
            List<String> values = new ArrayList<>(entry.getValue().size());
            for (String value : entry.getValue()) {
                if (isSafeValue(value) && total + name.length() + value.length() <= MAX_TOTAL_LENGTH) {
                    values.add(value);
                    total += name.length() + value.length();
                }
            }
            if (!values.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                out.add(HeaderValues.create(header, values));
            }
        }
        return status == 200 && out == null ? Answer.PLAIN : new Answer(status, out == null ? List.of() : List.copyOf(out));
    }

    private static int status(String value, boolean conditional) {
        return switch (value.strip()) {
            case "201" -> 201;
            case "202" -> 202;
            case "204" -> 204;
            case "304" -> conditional ? 304 : 200;
            default -> 200;
        };
    }

    private static boolean isSafeValue(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * The request's {@code If-None-Match}, passed to the service as a NATS header of that name, or
     * null when absent.
     *
     * @throws GatewayException 400 when longer than {@value #MAX_IF_NONE_MATCH_LENGTH} characters or not printable ASCII
     */
    public static String ifNoneMatch(Headers headers) {
        String value = headers.first(HeaderNames.IF_NONE_MATCH).orElse(null);
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_IF_NONE_MATCH_LENGTH || !MetaHeaders.isPrintableAscii(value)) {
            throw GatewayException.invalidArgument("If-None-Match must be at most " + MAX_IF_NONE_MATCH_LENGTH
                                                           + " printable ASCII characters");
        }
        return value;
    }
}
