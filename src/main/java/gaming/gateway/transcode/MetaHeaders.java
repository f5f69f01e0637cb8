package gaming.gateway.transcode;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;

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

    /**
     * A {@link Meta} builder with everything the headers say, {@code X-User-ID} and
     * {@code X-Tenant-ID} included as sent: {@link #copyIdentity} then {@link #addTo}. The request
     * path sets the identity its own way instead ({@code IdentityResolver.toMeta}).
     *
     * @throws GatewayException 400 for an id header that is too long or not printable, or labels
     *                          beyond the bounds
     */
    public static Meta.Builder toMeta(Headers headers, String traceId) {
        Meta.Builder meta = Meta.newBuilder().setTraceId(traceId);
        copyIdentity(headers, meta);
        return addTo(headers, meta);
    }

    /**
     * Sets {@code user_id} and {@code tenant_id} of {@code meta} from {@code X-User-ID} and
     * {@code X-Tenant-ID} as sent (the {@code trust-headers} identity mode).
     *
     * @throws GatewayException 400 for a value that is too long or not printable ASCII
     */
    public static void copyIdentity(Headers headers, Meta.Builder meta) {
        String userId = idHeader(headers, X_USER_ID);
        if (userId != null) {
            meta.setUserId(userId);
        }
        String tenantId = idHeader(headers, X_TENANT_ID);
        if (tenantId != null) {
            meta.setTenantId(tenantId);
        }
    }

    /**
     * Adds to {@code meta} what the headers say besides identity: {@code X-Trace-ID} checked,
     * {@code X-Client-ID}, {@code Idempotency-Key} and the {@code X-Custom-*} labels. The caller
     * adds what only the gateway may set ({@code request_id}, {@code deadline_unix_ms}).
     *
     * @return {@code meta}
     * @throws GatewayException 400 for an id header that is too long or not printable, or labels
     *                          beyond the bounds
     */
    public static Meta.Builder addTo(Headers headers, Meta.Builder meta) {
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
