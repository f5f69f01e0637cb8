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
    private final boolean reportedByService;

    private GatewayException(int status, String code, String title, String detail, Map<String, String> details,
                             String challenge, boolean reportedByService) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.details = details;
        this.challenge = challenge;
        this.reportedByService = reportedByService;
    }

    /** {@code code} with its own status and {@code title}. */
    private static GatewayException of(ErrorCode code, String title, String detail) {
        return new GatewayException(code.status(), code.name(), title, detail, Map.of(), null, false);
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
     * @param details the service's {@code Error.details}, copied in key order
     */
    public static GatewayException fromService(int status, String code, String detail, Map<String, String> details) {
        String text = detail == null || detail.isBlank() ? "the service answered " + code : detail;
        // in key order: the same error gives the same body on every run (Map.copyOf's order varies per JVM)
        return new GatewayException(status, code, ErrorCode.SERVICE_ERROR.title(), text,
                                    Collections.unmodifiableMap(new TreeMap<>(details)), null, true);
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
                                    Map.of(), null, true);
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
        return new GatewayException(status, ErrorCode.forHttpStatus(status).name(), title, detail, Map.of(), null, false);
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

    /**
     * 503 {@code OVERLOADED}: a request on a connection beyond the cap of {@code limit} open
     * connections ({@code gateway.connections.max}); the connection is closed after the response.
     */
    public static GatewayException tooManyConnections(int limit) {
        return of(ErrorCode.OVERLOADED, "more than " + limit + " connections open");
    }

    /** 503 {@code UNAVAILABLE}: the gateway is shutting down (a request during the drain, or a stream ended by it). */
    public static GatewayException shuttingDown() {
        return unavailable("shutting down");
    }

    /** 503 {@code UNAVAILABLE}: something the gateway needs for this request (e.g. the JWKS) cannot be had now. */
    public static GatewayException unavailable(String detail) {
        return of(ErrorCode.UNAVAILABLE, detail);
    }

    /** 429 {@code RATE_LIMITED}: the client sent more than {@code requests} per {@code windowSeconds} to {@code route}. */
    public static GatewayException rateLimited(String route, long requests, long windowSeconds) {
        return of(ErrorCode.RATE_LIMITED, "more than " + requests + " requests per " + windowSeconds + " s on " + route);
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
        return new GatewayException(code.status(), code.name(), code.title(), detail, Map.of(), challenge, false);
    }

    /** 400 {@code INVALID_ARGUMENT}: a malformed body, path parameter or header, or one beyond its bound. */
    public static GatewayException invalidArgument(String detail) {
        return of(ErrorCode.INVALID_ARGUMENT, detail);
    }

    /** 413 {@code PAYLOAD_TOO_LARGE}: the body has more than {@code limit} bytes. */
    public static GatewayException payloadTooLarge(long limit) {
        return of(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds " + limit + " bytes");
    }

    /**
     * 413 {@code PAYLOAD_TOO_LARGE}: the request, translated to Protobuf with its NATS headers, is
     * {@code size} bytes, more than the {@code max} bytes the connected NATS server takes in one
     * message (its {@code max_payload}); sizes in bytes.
     */
    public static GatewayException natsPayloadTooLarge(long size, long max) {
        return of(ErrorCode.PAYLOAD_TOO_LARGE, "the request is " + size
                + " bytes as a NATS message (Protobuf and headers); the NATS server accepts at most " + max + " bytes");
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

    /**
     * 415 {@code UNSUPPORTED_CONTENT_ENCODING}: the body has the content coding {@code coding} (its
     * {@code Content-Encoding} value), which the gateway does not decode (RFC 9110 section 15.5.16);
     * the response names the accepted coding in {@code Accept-Encoding: identity} (section 12.5.3).
     */
    public static GatewayException unsupportedContentEncoding(String coding) {
        return of(ErrorCode.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding " + coding
                + " is not supported; send the body without a content coding");
    }

    /**
     * 501 {@code UNSUPPORTED_TRANSFER_CODING}: the request's {@code Transfer-Encoding} names a
     * coding other than chunked, which RFC 9112 section 6.1 answers with 501.
     */
    public static GatewayException unsupportedTransferCoding() {
        return of(ErrorCode.UNSUPPORTED_TRANSFER_CODING, "only the chunked transfer coding is supported; send the body "
                + "with Content-Length or Transfer-Encoding: chunked");
    }

    /** 404 {@code NOT_FOUND}: no route for {@code path}. */
    public static GatewayException notFound(String path) {
        return of(ErrorCode.NOT_FOUND, "no route for " + path);
    }

    /** 405 {@code METHOD_NOT_ALLOWED}: {@code method} on a route's path, which takes only POST. */
    public static GatewayException methodNotAllowed(String method) {
        return methodNotAllowed(method, "POST");
    }

    /**
     * 405 {@code METHOD_NOT_ALLOWED}: {@code method} is not one of {@code allowed}, given in words
     * (e.g. {@code GET or HEAD}); the caller sets the matching {@code Allow} header.
     */
    public static GatewayException methodNotAllowed(String method, String allowed) {
        return of(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allowed);
    }

    /** 503 {@code NO_RESPONDERS}: no service listens on {@code subject} (NATS 503 status). */
    public static GatewayException noResponders(String subject) {
        return of(ErrorCode.NO_RESPONDERS, "no service is listening on " + subject);
    }

    /** 503 {@code NATS_UNAVAILABLE}: the NATS connection is {@code state} (e.g. "reconnecting"), not connected. */
    public static GatewayException natsUnavailable(String state) {
        return of(ErrorCode.NATS_UNAVAILABLE, "NATS connection is " + state);
    }

    /**
     * 503 {@code NATS_CONNECTION_LOST}: the NATS connection a request (or stream) was sent on was
     * lost before its reply came; the service may or may not have acted on it.
     *
     * @param why how the connection was lost, e.g. "disconnected", "lame duck"
     */
    public static GatewayException natsConnectionLost(String why) {
        return of(ErrorCode.NATS_CONNECTION_LOST,
                  "the NATS connection the request was sent on was lost (" + why + ") before its reply arrived");
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

    /**
     * 400 {@code IDEMPOTENCY_KEY_MISSING}: the route enforces idempotency with
     * {@code idempotency-required: true} and the request has neither an {@code Idempotency-Key}
     * header nor an {@code idempotency_key} in its body (IETF draft-ietf-httpapi-idempotency-key-header,
     * "Error Scenarios"; an expired draft, a reference).
     */
    public static GatewayException idempotencyKeyMissing() {
        return of(ErrorCode.IDEMPOTENCY_KEY_MISSING,
                  "this route requires an Idempotency-Key header (or idempotency_key in the body)");
    }

    /**
     * 409 {@code IDEMPOTENCY_KEY_IN_USE}: a request with the same idempotency key is still in
     * flight (the draft's "Error Scenarios"); the caller sets {@code Retry-After}.
     */
    public static GatewayException idempotencyKeyInUse() {
        return of(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                  "a request with this Idempotency-Key is still in progress; retry later");
    }

    /**
     * 422 {@code IDEMPOTENCY_KEY_MISMATCH}: the idempotency key was used before with another
     * request payload (the draft's "Error Scenarios").
     */
    public static GatewayException idempotencyKeyMismatch() {
        return of(ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
                  "this Idempotency-Key was used with a different request payload");
    }

    /**
     * 503 {@code IDEMPOTENCY_STORE_UNAVAILABLE}: the idempotency records of an {@code enforce}
     * route cannot be read or written now (JetStream down, the bucket missing), so the request is
     * not sent (fail closed).
     *
     * @param detail what failed, e.g. "cannot open idempotency bucket gateway_idempotency: timeout"
     */
    public static GatewayException idempotencyStoreUnavailable(String detail) {
        return of(ErrorCode.IDEMPOTENCY_STORE_UNAVAILABLE, detail);
    }

    /** The HTTP status, 100..599. */
    public int status() {
        return status;
    }

    /** The error code name, e.g. {@code INVALID_ARGUMENT}, {@code NO_RESPONDERS}. */
    public String code() {
        return code;
    }

    /** Whether this is the gateway's own error {@code code} (a service's error never is). */
    public boolean is(ErrorCode code) {
        return this.code.equals(code.name()) && this.status == code.status();
    }

    /** The problem's {@code title}. */
    public String title() {
        return title;
    }

    /** The {@code WWW-Authenticate} value of a 401 from the gateway itself; null otherwise. */
    public String challenge() {
        return challenge;
    }

    /**
     * Whether a service reported this error (its reply's {@code error} field, or its
     * {@code Nats-Service-Error-Code} header), rather than the gateway deciding it: the two may
     * share a code and a status ({@code PERMISSION_DENIED}, 403), and only a service's answer is
     * the outcome of the request at the service.
     */
    public boolean reportedByService() {
        return reportedByService;
    }

    /** Machine-readable context from a service's {@code Error.details}; empty for gateway errors. */
    public Map<String, String> details() {
        return details;
    }
}
