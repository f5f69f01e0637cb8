package gaming.gateway.error;

/**
 * The gateway's own error codes, each with the one HTTP status (RFC 9110 section 15) and title it
 * is answered with: the problem+json {@code code} and {@code status} of a failure the gateway
 * decides. Errors a service reports in its reply keep the service's {@code Error.Code} name and
 * take their status from {@link StatusTable} instead.
 *
 * <p>Three codes may carry another status, named where they are made: {@link #INVALID_ARGUMENT}
 * and {@link #INTERNAL} for any other 4xx or 5xx Helidon answered with
 * ({@link GatewayException#fromHttpStatus}), and {@link #SERVICE_ERROR} for the 400..599 a service
 * put in its {@code Nats-Service-Error-Code} header ({@link GatewayException#serviceErrorHeader}).
 */
public enum ErrorCode {
    /** 400: the request is malformed (body, path parameter, header) or breaks a bound. */
    INVALID_ARGUMENT(400, "Bad request"),
    /** 400: an {@code enforce} route with {@code idempotency-required: true} got no idempotency key. */
    IDEMPOTENCY_KEY_MISSING(400, "Bad request"),
    /** 401: no or no acceptable credentials; always with {@code WWW-Authenticate}. */
    UNAUTHENTICATED(401, "Unauthorized"),
    /** 403: the gateway's NATS account may not publish to the route's subject. */
    PERMISSION_DENIED(403, "Forbidden"),
    /** 404: no route for the path. */
    NOT_FOUND(404, "Not found"),
    /**
     * 405: a method other than POST on a route's path, with {@code Allow: POST}; or other than GET
     * and HEAD on {@code /health} and {@code /metrics}, with {@code Allow: GET, HEAD}; on the admin
     * port, with {@code Allow} naming the methods of the path ({@code PUT} on
     * {@code /admin/migration/{route}}, {@code GET, HEAD} on the others).
     */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    /** 409: the idempotency key's first request is still in flight; with {@code Retry-After}. */
    IDEMPOTENCY_KEY_IN_USE(409, "Conflict"),
    /**
     * 413: the body is larger than {@code gateway.max-body-bytes}, or the request as a NATS message is
     * larger than the connected server's {@code max_payload}; the connection is closed.
     */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** 414: the request target is longer than Helidon accepts. */
    URI_TOO_LONG(414, "URI Too Long"),
    /** 415: a {@code Content-Type} other than JSON. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    /** 415: a {@code Content-Encoding} on the body, which the gateway does not decode; with {@code Accept-Encoding: identity}. */
    UNSUPPORTED_CONTENT_ENCODING(415, "Unsupported media type"),
    /** 422: the idempotency key was used before with another request payload. */
    IDEMPOTENCY_KEY_MISMATCH(422, "Unprocessable content"),
    /** 429: the gateway holds its limit of streams, or a stream's reader is too slow; with {@code Retry-After}. */
    RESOURCE_EXHAUSTED(429, "Too many streams"),
    /** 429: the client used up its rate limit on the route; with {@code Retry-After} and the {@code RateLimit} headers. */
    RATE_LIMITED(429, "Too many requests"),
    /** 431: the request headers are larger than Helidon accepts. */
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large"),
    /** 500: a failure of the gateway itself. */
    INTERNAL(500, "Internal error"),
    /** 501: a transfer coding other than chunked (RFC 9112 section 6.1). */
    UNSUPPORTED_TRANSFER_CODING(501, "Not Implemented"),
    /** 502: the service answered with something that is not its reply type, or cannot be written as JSON. */
    BAD_REPLY(502, "Bad gateway"),
    /**
     * 503: more requests in flight than the gateway's or the route's cap (with {@code Retry-After}),
     * or a request on a connection beyond the cap on open connections (then with {@code Connection: close}).
     */
    OVERLOADED(503, "Service unavailable"),
    /** 503: the gateway is shutting down, or a dependency it needs (the JWKS) cannot be reached now. */
    UNAVAILABLE(503, "Service unavailable"),
    /** 503: no service listens on the route's subject. */
    NO_RESPONDERS(503, "Service unavailable"),
    /** 503: the NATS connection is not up. */
    NATS_UNAVAILABLE(503, "Service unavailable"),
    /** 503: the idempotency records (JetStream KV bucket) of an {@code enforce} route cannot be reached. */
    IDEMPOTENCY_STORE_UNAVAILABLE(503, "Service unavailable"),
    /**
     * 503: the NATS connection a request or stream was sent on was lost before its reply came (the
     * service may or may not have acted on it); a stream ends with it as its final error event.
     */
    NATS_CONNECTION_LOST(503, "Service unavailable"),
    /** 502: the legacy HTTP service of a route in migration could not be reached or broke off its answer. */
    LEGACY_UNAVAILABLE(502, "Bad gateway"),
    /** 504: the legacy HTTP service of a route in migration did not answer within the route's legacy timeout. */
    LEGACY_TIMEOUT(504, "Gateway timeout"),
    /** 504: no reply, or no first chunk of a stream, within the route's timeout. */
    TIMEOUT(504, "Gateway timeout"),
    /** 504: a stream sent no chunk within its idle timeout (as a final error event). */
    DEADLINE_EXCEEDED(504, "Stream idle"),
    /** 505: an HTTP version other than 1.0, 1.1 or 2. */
    HTTP_VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported"),
    /** A service's {@code Nats-Service-Error-Code} header: its status (400..599), 502 nowhere else. */
    SERVICE_ERROR(502, "Service error");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** The problem's {@code title}, unless the failure names a more precise one. */
    public String title() {
        return title;
    }

    /**
     * The code for a status Helidon answered with: the code of that status when it has one of its
     * own (404, 405, 413, 414, 415, 431, 505), else {@link #INVALID_ARGUMENT} for a 4xx and
     * {@link #INTERNAL} for anything else.
     */
    public static ErrorCode forHttpStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? INVALID_ARGUMENT : INTERNAL;
        };
    }
}
