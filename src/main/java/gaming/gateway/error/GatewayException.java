package gaming.gateway.error;

import common.v1.Error;

import java.util.Map;

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

    private GatewayException(int status, String code, String title, String detail, Map<String, String> details,
                             String challenge) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.details = details;
        this.challenge = challenge;
    }

    /** {@code code} with its own status and {@code title}. */
    private static GatewayException of(ErrorCode code, String title, String detail) {
        return new GatewayException(code.status(), code.name(), title, detail, Map.of(), null);
    }

    /** {@code code} with its own status and title. */
    private static GatewayException of(ErrorCode code, String detail) {
        return of(code, code.title(), detail);
    }

    /**
     * An error a service reported in its reply, with the status the route's {@link StatusTable}
     * gave its code.
     *
     * @param status  the HTTP status, 100..599
     * @param code    the service's {@code Error.Code} name, e.g. {@code CONFLICT}
     * @param detail  the service's message; blank gives "the service answered CODE"
     * @param details the service's {@code Error.details}, copied
     */
    public static GatewayException fromService(int status, String code, String detail, Map<String, String> details) {
        String text = detail == null || detail.isBlank() ? "the service answered " + code : detail;
        return new GatewayException(status, code, ErrorCode.SERVICE_ERROR.title(), text, Map.copyOf(details), null);
    }

    /**
     * The exception for an {@link Error} a service put in its reply, mapped by {@code table}: code
     * the {@code Error.Code} name ({@code UNKNOWN} for a number this build does not know), status
     * {@code table.status(code)}; null when the error's code is {@code UNSPECIFIED} (no error).
     */
    public static GatewayException fromService(Error error, StatusTable table) {
        if (error.getCode() == Error.Code.UNSPECIFIED) {
            return null;
        }
        int status = table.status(error.getCode());
        String code = error.getCode() == Error.Code.UNRECOGNIZED ? "UNKNOWN" : error.getCode().name();
        return fromService(status, code, error.getMessage(), error.getDetailsMap());
    }

    /**
     * {@link ErrorCode#SERVICE_ERROR} with the status a service put in its
     * {@code Nats-Service-Error-Code} header.
     *
     * @param status the header's status, 400..599 (the caller checks; anything else is {@link #badReply})
     * @param detail the {@code Nats-Service-Error} text
     */
    public static GatewayException serviceErrorHeader(int status, String detail) {
        return new GatewayException(status, ErrorCode.SERVICE_ERROR.name(), ErrorCode.SERVICE_ERROR.title(), detail,
                                    Map.of(), null);
    }

    /**
     * A status Helidon answered with itself (a malformed request, a body too large, an unknown
     * path): the status as Helidon gave it, the code {@link ErrorCode#forHttpStatus}.
     *
     * @param status an HTTP status, 400..599
     * @param title  the problem's title, e.g. the status' reason phrase
     * @param detail what Helidon said
     */
    public static GatewayException fromHttpStatus(int status, String title, String detail) {
        return new GatewayException(status, ErrorCode.forHttpStatus(status).name(), title, detail, Map.of(), null);
    }

    /** 500 {@code INTERNAL}: a failure of the gateway itself; {@code detail} says no more than that. */
    public static GatewayException internal(String detail) {
        return of(ErrorCode.INTERNAL, detail);
    }

    /** 503 {@code OVERLOADED}: more than {@code limit} requests in flight on {@code route}, or on the whole gateway when null. */
    public static GatewayException overloaded(int limit, String route) {
        return of(ErrorCode.OVERLOADED,
                  "more than " + limit + " requests in flight" + (route == null ? "" : " on " + route));
    }

    /** 503 {@code UNAVAILABLE}: the gateway is shutting down (a request during the drain, or a stream ended by it). */
    public static GatewayException shuttingDown() {
        return unavailable("shutting down");
    }

    /** 503 {@code UNAVAILABLE}: something the gateway needs for this request (e.g. the JWKS) cannot be had now. */
    public static GatewayException unavailable(String detail) {
        return of(ErrorCode.UNAVAILABLE, detail);
    }

    /** 502 {@code LEGACY_UNAVAILABLE}: the legacy HTTP service at {@code url} could not be reached or broke off. */
    public static GatewayException legacyUnavailable(String url, String why) {
        return of(ErrorCode.LEGACY_UNAVAILABLE, "legacy service " + url + ": " + why);
    }

    /** 504 {@code LEGACY_TIMEOUT}: the legacy HTTP service at {@code url} gave no answer within {@code millis}. */
    public static GatewayException legacyTimeout(String url, long millis) {
        return of(ErrorCode.LEGACY_TIMEOUT, "legacy service " + url + " did not answer within " + millis + " ms");
    }

    /** 429 {@code RESOURCE_EXHAUSTED}: the gateway holds its limit of {@code limit} open streams. */
    public static GatewayException tooManyStreams(int limit) {
        return of(ErrorCode.RESOURCE_EXHAUSTED, "the gateway holds its limit of " + limit + " streams");
    }

    /**
     * 429 {@code RESOURCE_EXHAUSTED} (a stream's final error event): the client read too slowly and
     * more than {@code maxMessages} chunks or {@code maxBytes} bytes were waiting.
     */
    public static GatewayException streamOverflow(long maxMessages, long maxBytes) {
        return of(ErrorCode.RESOURCE_EXHAUSTED, "Stream overflow", "the client read too slowly: more than "
                + maxMessages + " chunks or " + maxBytes + " bytes were waiting");
    }

    /** 504 {@code DEADLINE_EXCEEDED} (a stream's final error event): no chunk from {@code subject} within {@code millis} ms. */
    public static GatewayException streamIdle(String subject, long millis) {
        return of(ErrorCode.DEADLINE_EXCEEDED, "no chunk from " + subject + " within " + millis + " ms");
    }

    /** The {@code WWW-Authenticate} challenge of a 401 that names no error (RFC 6750 section 3). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"http-nats-gateway\"";

    /**
     * 401 {@code UNAUTHENTICATED}: the request is not authenticated.
     *
     * @param challenge the {@code WWW-Authenticate} value, e.g. {@code Bearer realm="x", error="invalid_token"}
     */
    public static GatewayException unauthenticated(String detail, String challenge) {
        ErrorCode code = ErrorCode.UNAUTHENTICATED;
        return new GatewayException(code.status(), code.name(), code.title(), detail, Map.of(), challenge);
    }

    /** 400 {@code INVALID_ARGUMENT}: a malformed body, path parameter or header, or one beyond its bound. */
    public static GatewayException invalidArgument(String detail) {
        return of(ErrorCode.INVALID_ARGUMENT, detail);
    }

    /** 413 {@code PAYLOAD_TOO_LARGE}: the body has more than {@code limit} bytes. */
    public static GatewayException payloadTooLarge(long limit) {
        return of(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds " + limit + " bytes");
    }

    /** 415 {@code UNSUPPORTED_MEDIA_TYPE}: the body's {@code Content-Type} is not JSON. */
    public static GatewayException unsupportedMediaType(String contentType) {
        return of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                  "Content-Type " + contentType + " is not supported; send application/json");
    }

    /** 415 {@code UNSUPPORTED_MEDIA_TYPE}: the {@code Content-Type} header cannot be parsed (RFC 9110 section 8.3). */
    public static GatewayException malformedContentType() {
        return of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "malformed Content-Type");
    }

    /** 404 {@code NOT_FOUND}: no route for {@code path}. */
    public static GatewayException notFound(String path) {
        return of(ErrorCode.NOT_FOUND, "no route for " + path);
    }

    /** 405 {@code METHOD_NOT_ALLOWED}: {@code method} on a route's path, which takes only POST. */
    public static GatewayException methodNotAllowed(String method) {
        return of(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here; use POST");
    }

    /** 503 {@code NO_RESPONDERS}: no service listens on {@code subject} (NATS 503 status). */
    public static GatewayException noResponders(String subject) {
        return of(ErrorCode.NO_RESPONDERS, "no service is listening on " + subject);
    }

    /** 503 {@code NATS_UNAVAILABLE}: the NATS connection is {@code state} (e.g. "reconnecting"), not connected. */
    public static GatewayException natsUnavailable(String state) {
        return of(ErrorCode.NATS_UNAVAILABLE, "NATS connection is " + state);
    }

    /** 504 {@code TIMEOUT}: no reply (or first chunk) from {@code subject} within {@code millis} ms. */
    public static GatewayException timeout(String subject, long millis) {
        return of(ErrorCode.TIMEOUT, "no reply from " + subject + " within " + millis + " ms");
    }

    /** 502 {@code BAD_REPLY}: the reply from {@code subject} is not what the route expects, for reason {@code why}. */
    public static GatewayException badReply(String subject, String why) {
        return of(ErrorCode.BAD_REPLY, "invalid reply from " + subject + ": " + why);
    }

    /** 502 {@code BAD_REPLY}: a reply of type {@code type} parsed but cannot be written as JSON, for reason {@code why}. */
    public static GatewayException unprintableReply(String type, String why) {
        return of(ErrorCode.BAD_REPLY, "the reply of type " + type + " cannot be written as JSON: " + why);
    }

    /** 403 {@code PERMISSION_DENIED}: the gateway's NATS account may not publish to {@code subject}. */
    public static GatewayException permissionDenied(String subject) {
        return of(ErrorCode.PERMISSION_DENIED, "the gateway may not publish to " + subject);
    }

    /** The HTTP status, 100..599. */
    public int status() {
        return status;
    }

    /** The error code name, e.g. {@code INVALID_ARGUMENT}, {@code NO_RESPONDERS}. */
    public String code() {
        return code;
    }

    /** The problem's {@code title}. */
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
