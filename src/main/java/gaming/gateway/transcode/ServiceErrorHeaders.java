package gaming.gateway.transcode;

import gaming.gateway.error.GatewayException;

import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * Errors that services built on the NATS Service API report in headers:
 * {@code Nats-Service-Error-Code} (a status in 400..599 is passed on, anything else is 502) and
 * {@code Nats-Service-Error} (the text).
 */
final class ServiceErrorHeaders {
    static final String CODE = "Nats-Service-Error-Code";
    static final String TEXT = "Nats-Service-Error";

    private ServiceErrorHeaders() {
    }

    /**
     * Throws the error that {@code reply}'s headers report, if any.
     *
     * @throws GatewayException the status of a 400..599 code, else 502
     */
    static void check(String subject, Message reply) {
        if (!reply.hasHeaders()) {
            return;
        }
        Headers headers = reply.getHeaders();
        String code = headers.getFirst(CODE);
        if (code == null) {
            return;
        }
        String text = headers.getFirst(TEXT);
        String detail = text == null || text.isBlank() ? "service error " + code : text;
        int status;
        try {
            status = Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status >= 400 && status <= 599) {
            throw GatewayException.serviceErrorHeader(status, detail);
        }
        throw GatewayException.badReply(subject, "service error code " + code + ": " + detail);
    }
}
