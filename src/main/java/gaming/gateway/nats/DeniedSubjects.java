package gaming.gateway.nats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Subjects the NATS account may not publish to, learnt from the server's
 * {@code Permissions Violation for Publish to "subject"} errors and remembered for a while, so
 * that later requests to them fail at once with 403 instead of waiting for a reply that cannot
 * come.
 */
final class DeniedSubjects {
    private static final Pattern VIOLATION = Pattern.compile("Permissions Violation for Publish to \"?([^\"\\s']+)\"?",
                                                             Pattern.CASE_INSENSITIVE);
    private static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, Long> until = new ConcurrentHashMap<>();

    /** Notes the subject of a publish permission violation reported by the server, if it is one. */
    void onServerError(String error) {
        Matcher m = VIOLATION.matcher(error);
        if (m.find()) {
            until.put(m.group(1), System.nanoTime() + REMEMBER_NANOS);
        }
    }

    /** Whether a publish to {@code subject} was refused lately. */
    boolean denied(String subject) {
        if (until.isEmpty()) {
            return false;
        }
        Long expiry = until.get(subject);
        if (expiry == null) {
            return false;
        }
        if (System.nanoTime() - expiry > 0) {
            until.remove(subject, expiry);
            return false;
        }
        return true;
    }
}
