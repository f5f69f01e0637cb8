package gaming.gateway.error;

import common.v1.Error;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request that ends in an HTTP error. Thrown anywhere on the request path and turned into one
 * problem+json response by {@link ErrorHandlers}. Created through the static factories, one per
 * kind of failure, so that status, code and title stay consistent.
 */
public final class GatewayException extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;
    private final Map<String, String> details;
    private final String challenge;

    private GatewayException(int status, String code, String title, String detail, Map<String, String> details) {
        this(status, code, title, detail, details, null);
    }

    private GatewayException(int status, String code, String title, String detail, Map<String, String> details,
                             String challenge) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.details = details;
        this.challenge = challenge;
    }

    /** Any status and code; prefer the named factories. */
    public static GatewayException of(int status, String code, String title, String detail) {
        return new GatewayException(status, code, title, detail, Map.of());
    }

    /** An error reported by a service in its reply, mapped to {@code status}. */
    public static GatewayException fromService(int status, String code, String detail, Map<String, String> details) {
        String text = detail == null || detail.isBlank() ? "the service answered " + code : detail;
        // in key order: the same error gives the same body on every run (Map.copyOf's order varies per JVM)
        return new GatewayException(status, code, "Service error", text, Collections.unmodifiableMap(new TreeMap<>(details)));
    }

    /**
     * The exception for an {@link Error} a service put in its reply, mapped by {@code table}; null
     * when the error's code is {@code UNSPECIFIED} (no error).
     */
    public static GatewayException fromService(Error error, StatusTable table) {
        if (error.getCode() == Error.Code.UNSPECIFIED) {
            return null;
        }
        int status = table.status(error.getCode());
        String code = error.getCode() == Error.Code.UNRECOGNIZED ? "UNKNOWN" : error.getCode().name();
        return fromService(status, code, error.getMessage(), error.getDetailsMap());
    }

    /** 503: more than {@code limit} requests in flight on {@code route}, or on the whole gateway when null. */
    public static GatewayException overloaded(int limit, String route) {
        return of(503, "OVERLOADED", "Service unavailable",
                  "more than " + limit + " requests in flight" + (route == null ? "" : " on " + route));
    }

    /** 503: the gateway is shutting down. */
    public static GatewayException shuttingDown() {
        return of(503, "UNAVAILABLE", "Service unavailable", "shutting down");
    }

    public static GatewayException tooManyStreams(int limit) {
        return of(429, "RESOURCE_EXHAUSTED", "Too many streams", "the gateway holds its limit of " + limit + " streams");
    }

    /** The {@code WWW-Authenticate} challenge of a 401 that names no error (RFC 6750 3). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"http-nats-gateway\"";

    /**
     * 401: the request is not authenticated.
     *
     * @param challenge the {@code WWW-Authenticate} value, e.g. {@code Bearer realm="x", error="invalid_token"}
     */
    public static GatewayException unauthenticated(String detail, String challenge) {
        return new GatewayException(401, "UNAUTHENTICATED", "Unauthorized", detail, Map.of(), challenge);
    }

    public static GatewayException invalidArgument(String detail) {
        return of(400, "INVALID_ARGUMENT", "Bad request", detail);
    }

    public static GatewayException payloadTooLarge(long limit) {
        return of(413, "PAYLOAD_TOO_LARGE", "Payload too large", "request body exceeds " + limit + " bytes");
    }

    public static GatewayException unsupportedMediaType(String contentType) {
        return of(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
                  "Content-Type " + contentType + " is not supported; send application/json");
    }

    public static GatewayException notFound(String path) {
        return of(404, "NOT_FOUND", "Not found", "no route for " + path);
    }

    public static GatewayException methodNotAllowed(String method) {
        return of(405, "METHOD_NOT_ALLOWED", "Method not allowed", method + " is not allowed here; use POST");
    }

    public static GatewayException noResponders(String subject) {
        return of(503, "NO_RESPONDERS", "Service unavailable", "no service is listening on " + subject);
    }

    public static GatewayException natsUnavailable(String state) {
        return of(503, "NATS_UNAVAILABLE", "Service unavailable", "NATS connection is " + state);
    }

    public static GatewayException timeout(String subject, long millis) {
        return of(504, "TIMEOUT", "Gateway timeout", "no reply from " + subject + " within " + millis + " ms");
    }

    public static GatewayException badReply(String subject, String why) {
        return of(502, "BAD_REPLY", "Bad gateway", "invalid reply from " + subject + ": " + why);
    }

    public static GatewayException permissionDenied(String subject) {
        return of(403, "PERMISSION_DENIED", "Forbidden", "the gateway may not publish to " + subject);
    }

    public int status() {
        return status;
    }

    /** The error code name, e.g. {@code INVALID_ARGUMENT}, {@code NO_RESPONDERS}. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The {@code WWW-Authenticate} value of a 401 from the gateway itself; null otherwise. */
    public String challenge() {
        return challenge;
    }

    /** Machine-readable context from a service's {@code Error.details}; empty for gateway errors. */
    public Map<String, String> details() {
        return details;
    }
}
