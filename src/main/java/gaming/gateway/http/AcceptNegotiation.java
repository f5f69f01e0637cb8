package gaming.gateway.http;

import gaming.gateway.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Accept} header of a request, as RFC 9110 §12.5.1 reads it: a list of media ranges
 * with weights ({@code q}, 0 to 1, default 1). The weight of a media type is that of the most
 * specific range matching it ({@code text/event-stream} before {@code text/*} before {@code *}{@code /*});
 * a type no range matches has weight 0, and {@code q=0} means "not acceptable". Without an
 * {@code Accept} header every type has weight 1.
 */
public final class AcceptNegotiation {
    private static final AcceptNegotiation ANY = new AcceptNegotiation(List.of());

    private final List<Range> ranges;

    private record Range(MediaType range, double q) {
        /** 3 exact type and subtype, 2 type and {@code *}, 1 {@code *}{@code /*}, 0 no match. */
        int specificity(String type, String subtype) {
            if (range.type().equals("*")) {
                return range.subtype().equals("*") ? 1 : 0;
            }
            if (!range.type().equals(type)) {
                return 0;
            }
            if (range.subtype().equals("*")) {
                return 2;
            }
            return range.subtype().equals(subtype) ? 3 : 0;
        }
    }

    private AcceptNegotiation(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * The negotiation for the {@code Accept} field values of a request (each one line as sent;
     * none when the request has no {@code Accept} header).
     *
     * @throws GatewayException 400 {@code INVALID_ARGUMENT} for a malformed list or weight
     */
    public static AcceptNegotiation of(List<String> acceptValues) {
        if (acceptValues.isEmpty()) {
            return ANY;
        }
        List<Range> ranges = new ArrayList<>();
        for (String value : acceptValues) {
            try {
                parseList(value, ranges);
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalidArgument("malformed Accept header: " + e.getMessage());
            }
        }
        return new AcceptNegotiation(List.copyOf(ranges));
    }

    /**
     * Whether {@code req} asks for an event stream, by the weights of its {@code Accept} header:
     * never when {@code text/event-stream} has weight 0; when it weighs more than
     * {@code application/json}; at equal weight when the route's stream flag (e.g.
     * {@code params.stream}) is set or the header names {@code text/event-stream} itself. Never for
     * an HTTP/1.0 request (a stream needs chunked transfer coding, HTTP/1.1 only: RFC 9112 §6.1).
     *
     * @param flag the route's stream flag as the request body set it (false when the route has none)
     * @throws GatewayException 400 {@code INVALID_ARGUMENT} for a malformed {@code Accept} header
     */
    public static boolean wantsEventStream(ServerRequest req, boolean flag) {
        AcceptNegotiation accept = of(req.headers().all(HeaderNames.ACCEPT, List::of));
        double sse = accept.quality("text", "event-stream");
        double json = accept.quality("application", "json");
        return sse > 0 && (sse > json || sse == json && (flag || accept.namesExactly("text", "event-stream")))
                && !ChunkFramingSelector.isHttp10(req);
    }

    private static void parseList(String value, List<Range> into) {
        MediaType.Cursor c = new MediaType.Cursor(value);
        while (true) {
            c.skipWhitespace();
            if (c.atEnd()) {
                return;
            }
            if (c.peek() == ',') {
                c.expect(',');   // empty list elements are allowed (RFC 9110 §5.6.1)
                continue;
            }
            MediaType range = MediaType.read(c);
            if (range.type().equals("*") && !range.subtype().equals("*")) {
                throw new IllegalArgumentException("*/" + range.subtype() + " is not a media range");
            }
            into.add(new Range(range, weight(range.parameters().get("q"))));
        }
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, RFC 9110 §12.4.2. */
    private static double weight(String q) {
        if (q == null) {
            return 1;
        }
        if (!q.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            throw new IllegalArgumentException("q=" + q + " is not a weight from 0 to 1 with at most 3 decimals");
        }
        return Double.parseDouble(q);
    }

    /** The weight of {@code type/subtype} (both lower case): 0 for not acceptable, up to 1. */
    public double quality(String type, String subtype) {
        if (ranges.isEmpty()) {
            return 1;
        }
        int best = 0;
        double q = 0;
        for (Range range : ranges) {
            int specificity = range.specificity(type, subtype);
            if (specificity > best) {
                best = specificity;
                q = range.q();
            }
        }
        return q;
    }

    /** Whether the header names {@code type/subtype} itself (not through a wildcard) with a weight above 0. */
    public boolean namesExactly(String type, String subtype) {
        for (Range range : ranges) {
            if (range.specificity(type, subtype) == 3 && range.q() > 0) {
                return true;
            }
        }
        return false;
    }
}
