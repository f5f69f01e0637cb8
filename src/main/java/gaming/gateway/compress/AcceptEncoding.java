package gaming.gateway.compress;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the {@code Accept-Encoding} field lines of a request say (RFC 9110 §12.5.3) about the two
 * codings the gateway can answer in: the weight of {@code gzip} (also named {@code x-gzip},
 * §8.4.1.3), of {@code identity} (no coding) and of {@code *} (any coding not named), each
 * {@link #UNNAMED} when no valid member names it.
 *
 * <p>Read robustly: a member that does not follow {@code codings [ OWS ";" OWS "q=" qvalue ]}, with
 * {@code codings} a token and {@code qvalue} from 0 to 1 with at most three decimals (§12.4.2), is
 * ignored as if it had not been sent, and the other members still count. So {@code gzip;q=1.5},
 * {@code gzip;q=1.0001} or {@code gzip;q=abc} do not choose gzip, and no field value, however
 * malformed, is an error: an answer without a coding stays possible (§12.5.3: "SHOULD be sent
 * without any content coding" when none is acceptable), never a 406. A coding named twice keeps
 * its highest weight; names are case-insensitive (§8.4.1).
 *
 * @param gzip     weight of {@code gzip}, 0 to 1, or {@link #UNNAMED}
 * @param identity weight of {@code identity}, 0 to 1, or {@link #UNNAMED}
 * @param any      weight of {@code *}, 0 to 1, or {@link #UNNAMED}
 */
record AcceptEncoding(double gzip, double identity, double any) {
    /** The weight of a coding no valid member names. */
    static final double UNNAMED = -1;
    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, RFC 9110 §12.4.2. */
    private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");
    /** {@code token = 1*tchar}, RFC 9110 §5.6.2. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** The weights in {@code fieldLines}, each one {@code Accept-Encoding} line as sent (none: every weight unnamed). */
    static AcceptEncoding of(List<String> fieldLines) {
        double gzip = UNNAMED;
        double identity = UNNAMED;
        double any = UNNAMED;
        for (String line : fieldLines) {
            for (String member : line.split(",", -1)) {
                String[] parts = member.split(";", -1);
                String coding = ows(parts[0]);
                double q = parts.length == 1 ? 1 : parts.length == 2 ? weight(ows(parts[1])) : UNNAMED;
                if (q == UNNAMED || !TOKEN.matcher(coding).matches()) {
                    continue;   // an empty list element (RFC 9110 §5.6.1) or a malformed member
                }
                switch (coding.toLowerCase(Locale.ROOT)) {
                    case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                    case "identity" -> identity = Math.max(identity, q);
                    case "*" -> any = Math.max(any, q);
                    default -> {
                        // a coding the gateway does not produce
                    }
                }
            }
        }
        return new AcceptEncoding(gzip, identity, any);
    }

    /**
     * Whether to answer in gzip: its weight (its own, else that of {@code *}) is above 0 and not
     * below that of {@code identity} (its own, else that of {@code *}): of two acceptable codings
     * the one with the higher weight is preferred (§12.5.3), and at equal weight the smaller body.
     * Without a member naming gzip or {@code *}: no.
     */
    boolean gzipPreferred() {
        double g = gzip != UNNAMED ? gzip : any;
        double i = identity != UNNAMED ? identity : any;
        return g > 0 && g >= i;
    }

    /** The weight of {@code "q=" qvalue}, or {@link #UNNAMED} when the parameter is anything else. */
    private static double weight(String parameter) {
        if (parameter.length() < 2 || (parameter.charAt(0) != 'q' && parameter.charAt(0) != 'Q') || parameter.charAt(1) != '=') {
            return UNNAMED;
        }
        String value = parameter.substring(2);
        return QVALUE.matcher(value).matches() ? Double.parseDouble(value) : UNNAMED;
    }

    /** {@code s} without the optional whitespace (spaces and tabs, RFC 9110 §5.6.3) around it. */
    private static String ows(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }
}
