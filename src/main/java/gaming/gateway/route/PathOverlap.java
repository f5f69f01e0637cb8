package gaming.gateway.route;

/**
 * Whether two route path templates can match the same request path: the same number of segments,
 * and at each position equal literals or a parameter ({@code {name}}) on either side. Such a pair
 * would leave one route unreachable for some paths, so the table rejects it.
 */
final class PathOverlap {
    private PathOverlap() {
    }

    /** Whether one request path could match both {@code a} and {@code b}. */
    static boolean overlaps(String a, String b) {
        String[] left = a.substring(1).split("/", -1);
        String[] right = b.substring(1).split("/", -1);
        if (left.length != right.length) {
            return false;
        }
        for (int i = 0; i < left.length; i++) {
            if (!isParam(left[i]) && !isParam(right[i]) && !left[i].equals(right[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
