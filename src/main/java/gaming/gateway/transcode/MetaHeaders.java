package gaming.gateway.transcode;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.identity.IdentityResolver;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.util.Locale;

/**
 * HTTP headers to {@link Meta}, as in the original description's table:
 * {@code X-Trace-ID}, {@code X-Client-ID}, {@code X-User-ID}, {@code X-Tenant-ID} and
 * {@code X-Custom-<Name>} to {@code labels[<name>]}; plus {@code Idempotency-Key}.
 */
public final class MetaHeaders {
    public static final HeaderName X_CLIENT_ID = HeaderNames.create("X-Client-ID");
    public static final HeaderName X_USER_ID = HeaderNames.create("X-User-ID");
    public static final HeaderName X_TENANT_ID = HeaderNames.create("X-Tenant-ID");
    public static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    /** Prefix of label headers, lower case. */
    public static final String LABEL_PREFIX = "x-custom-";

    /** At most this many labels per request. */
    public static final int MAX_LABELS = 32;
    /** At most this many UTF-8 bytes per label value. */
    public static final int MAX_LABEL_VALUE_BYTES = 256;
    /** At most this many characters in an id header (trace, client, user, tenant, idempotency key). */
    public static final int MAX_ID_LENGTH = 256;

    private MetaHeaders() {
    }

    /** {@link #toMeta(Headers, String, IdentityResolver)} with the identity headers trusted as sent. */
    public static Meta.Builder toMeta(Headers headers, String traceId) {
        return toMeta(headers, traceId, IdentityResolver.TRUST_HEADERS);
    }

    /**
     * A {@link Meta} builder with everything the headers say. The caller adds what only the gateway
     * may set ({@code request_id}, {@code deadline_unix_ms}). {@code user_id} and {@code tenant_id}
     * are set by {@code identity} first, before any other header is looked at.
     *
     * @throws GatewayException 400 for an id header that is too long or not printable, or labels
     *                          beyond the bounds; 401 from {@code identity}
     */
    public static Meta.Builder toMeta(Headers headers, String traceId, IdentityResolver identity) {
        Meta.Builder meta = Meta.newBuilder().setTraceId(traceId);
        identity.apply(headers, meta);
        headers.first(TraceContext.X_TRACE_ID).ifPresent(v -> {
            if (!TraceContext.isValidTraceId(v)) {
                throw GatewayException.invalidArgument("X-Trace-ID must be 1 to " + TraceContext.MAX_TRACE_ID_LENGTH
                                                               + " printable ASCII characters");
            }
        });
        String clientId = idHeader(headers, X_CLIENT_ID);
        if (clientId != null) {
            meta.setClientId(clientId);
        }
        String key = idHeader(headers, IDEMPOTENCY_KEY);
        if (key != null) {
            meta.setIdempotencyKey(key);
        }
        for (Header header : headers) {
            String name = header.headerName().lowerCase();
            if (name.startsWith(LABEL_PREFIX)) {
                addLabel(meta, name.substring(LABEL_PREFIX.length()), header.get());
            }
        }
        return meta;
    }

    private static void addLabel(Meta.Builder meta, String name, String value) {
        if (name.isEmpty()) {
            throw GatewayException.invalidArgument("label header needs a name after X-Custom-");
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (!meta.containsLabels(key) && meta.getLabelsCount() >= MAX_LABELS) {
            throw GatewayException.invalidArgument("at most " + MAX_LABELS + " X-Custom-* labels are allowed");
        }
        if (!isPrintableAscii(value)) {
            throw GatewayException.invalidArgument("label " + key + " must be printable ASCII");
        }
        if (value.length() > MAX_LABEL_VALUE_BYTES) {
            throw GatewayException.invalidArgument("label " + key + " is longer than " + MAX_LABEL_VALUE_BYTES + " bytes");
        }
        meta.putLabels(key, value);
    }

    /** The value of id header {@code name}, or null when absent; 400 when too long or not printable ASCII. */
    public static String idHeader(Headers headers, HeaderName name) {
        String value = headers.first(name).orElse(null);
        if (value == null) {
            return null;
        }
        checkId(name, value);
        return value;
    }

    private static void checkId(HeaderName name, String value) {
        if (value.length() > MAX_ID_LENGTH) {
            throw GatewayException.invalidArgument(name.defaultCase() + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!isPrintableAscii(value)) {
            throw GatewayException.invalidArgument(name.defaultCase() + " must be printable ASCII");
        }
    }

    /** Whether every character of {@code value} is printable ASCII (0x20 to 0x7E). */
    public static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
