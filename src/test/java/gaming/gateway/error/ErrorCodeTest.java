package gaming.gateway.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Each gateway error code has one status, and every factory answers with its code's status. */
class ErrorCodeTest {
    @Test
    void everyFactoryAnswersWithItsCodesStatus() {
        List<GatewayException> errors = List.of(
                GatewayException.internal("x"), GatewayException.overloaded(1, null), GatewayException.shuttingDown(),
                GatewayException.unavailable("x"), GatewayException.tooManyStreams(1),
                GatewayException.streamOverflow(1, 2), GatewayException.streamIdle("s", 1),
                GatewayException.unauthenticated("x", "Bearer"), GatewayException.invalidArgument("x"),
                GatewayException.payloadTooLarge(1), GatewayException.unsupportedMediaType("text/plain"),
                GatewayException.malformedContentType(), GatewayException.notFound("/x"),
                GatewayException.methodNotAllowed("GET"), GatewayException.noResponders("s"),
                GatewayException.natsUnavailable("closed"), GatewayException.timeout("s", 1),
                GatewayException.badReply("s", "x"), GatewayException.unprintableReply("T", "x"),
                GatewayException.permissionDenied("s"), GatewayException.idempotencyKeyMissing(),
                GatewayException.idempotencyKeyInUse(), GatewayException.idempotencyKeyMismatch(),
                GatewayException.idempotencyStoreUnavailable("x"));
        for (GatewayException e : errors) {
            assertThat(e.code(), e.status(), is(ErrorCode.valueOf(e.code()).status()));
        }
    }

    @ParameterizedTest
    @CsvSource({"OVERLOADED,503", "UNAVAILABLE,503", "RESOURCE_EXHAUSTED,429", "UNAUTHENTICATED,401",
                "INVALID_ARGUMENT,400", "PAYLOAD_TOO_LARGE,413", "UNSUPPORTED_MEDIA_TYPE,415", "NOT_FOUND,404",
                "METHOD_NOT_ALLOWED,405", "NO_RESPONDERS,503", "NATS_UNAVAILABLE,503", "TIMEOUT,504",
                "DEADLINE_EXCEEDED,504", "BAD_REPLY,502", "PERMISSION_DENIED,403", "INTERNAL,500",
                "IDEMPOTENCY_KEY_MISSING,400", "IDEMPOTENCY_KEY_IN_USE,409", "IDEMPOTENCY_KEY_MISMATCH,422",
                "IDEMPOTENCY_STORE_UNAVAILABLE,503"})
    void statusOfEachCode(ErrorCode code, int status) {
        assertThat(code.status(), is(status));
    }

    @ParameterizedTest
    @CsvSource({"404,NOT_FOUND", "405,METHOD_NOT_ALLOWED", "413,PAYLOAD_TOO_LARGE", "414,URI_TOO_LONG",
                "415,UNSUPPORTED_MEDIA_TYPE", "431,HEADERS_TOO_LARGE", "505,HTTP_VERSION_NOT_SUPPORTED",
                "400,INVALID_ARGUMENT", "408,INVALID_ARGUMENT", "500,INTERNAL", "503,INTERNAL"})
    void helidonStatusesKeepTheirStatusAndGetACode(int status, ErrorCode code) {
        GatewayException e = GatewayException.fromHttpStatus(status, "Reason", "detail");
        assertThat(ErrorCode.forHttpStatus(status), is(code));
        assertThat(e.status(), is(status));
        assertThat(e.code(), is(code.name()));
    }

    @Test
    void onlyErrorsAServiceReportedAreReportedByTheService() {
        GatewayException service = GatewayException.fromService(403, "PERMISSION_DENIED", "not yours", Map.of());
        GatewayException gateway = GatewayException.permissionDenied("s");
        assertThat(service.code(), is(gateway.code()));
        assertThat(service.status(), is(gateway.status()));
        assertThat(service.reportedByService(), is(true));
        assertThat(GatewayException.serviceErrorHeader(422, "x").reportedByService(), is(true));
        assertThat(gateway.reportedByService(), is(false));
        assertThat(GatewayException.timeout("s", 1).reportedByService(), is(false));
        assertThat(GatewayException.fromHttpStatus(400, "Bad Request", "x").reportedByService(), is(false));
        assertThat(GatewayException.unauthenticated("x", "Bearer").reportedByService(), is(false));
    }

    @Test
    void serviceErrorHeaderKeepsTheServicesStatus() {
        GatewayException e = GatewayException.serviceErrorHeader(422, "region unknown");
        assertThat(e.status(), is(422));
        assertThat(e.code(), is("SERVICE_ERROR"));
        assertThat(e.getMessage(), is("region unknown"));
    }
}
