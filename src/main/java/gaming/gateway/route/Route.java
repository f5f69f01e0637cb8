package gaming.gateway.route;

import gaming.gateway.error.StatusTable;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the route table: an HTTP path served by POST, translated to a request on a NATS
 * subject. Built and validated by {@link RouteTable}.
 *
 * @param name                bounded name for logs and metrics, e.g. {@code llm-infer}
 * @param path                HTTP path pattern, e.g. {@code /ai/models/{model_id}}
 * @param subject             NATS subject of the request
 * @param request             default instance of the request message type
 * @param reply               default instance of the reply message type
 * @param stream              how the route streams, if it does
 * @param timeout             how long the gateway waits for the reply (or the first chunk)
 * @param pathParams          path parameter name to the request field it fills
 * @param statusTable         error code to HTTP status, with this route's overrides
 * @param rejectUnknownFields whether unknown JSON fields are a 400
 * @param maxInFlight         requests of this route handled at once, beyond which 503; 0 = only
 *                            the gateway-wide cap
 * @param idempotency         what the route does with an idempotency key (off, forward, enforce)
 * @param replyHeaders        reply header names the route passes on besides the standard ones
 *                            ({@code reply-headers}), as configured
 */
public record Route(String name,
                    String path,
                    String subject,
                    Message request,
                    Message reply,
                    Optional<StreamSpec> stream,
                    Duration timeout,
                    Map<String, FieldDescriptor> pathParams,
                    StatusTable statusTable,
                    boolean rejectUnknownFields,
                    int maxInFlight,
                    IdempotencyPolicy idempotency, List<String> replyHeaders) {
}
