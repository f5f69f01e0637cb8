package gaming.gateway.error;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The RFC 9457 {@code application/problem+json} body of every error: {@code type}, {@code title},
 * {@code status}, {@code detail}, plus {@code code}, {@code trace_id} and, from services,
 * {@code details}.
 */
public final class Problem {
    /** The media type of every error body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    /** The body for {@code error}, as UTF-8 JSON. */
    public static byte[] body(GatewayException error, String traceId) {
        StringBuilder json = new StringBuilder(192);
        json.append("{\"type\":");
        Json.quote(json, "urn:http-nats-gateway:error:" + error.code().toLowerCase(Locale.ROOT).replace('_', '-'));
        json.append(",\"title\":");
        Json.quote(json, error.title());
        json.append(",\"status\":").append(error.status());
        json.append(",\"detail\":");
        Json.quote(json, error.getMessage() == null ? "" : error.getMessage());
        json.append(",\"code\":");
        Json.quote(json, error.code());
        json.append(",\"trace_id\":");
        Json.quote(json, traceId == null ? "" : traceId);
        if (!error.details().isEmpty()) {
            json.append(",\"details\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : error.details().entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                Json.quote(json, e.getKey());
                json.append(':');
                Json.quote(json, e.getValue());
            }
            json.append('}');
        }
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
