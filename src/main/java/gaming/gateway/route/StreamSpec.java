package gaming.gateway.route;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a route streams: the chunk type relayed as Server-Sent Events, the request field that asks
 * for a stream, the idle timeout between chunks, and where to send a cancel.
 *
 * @param chunk         default instance of the chunk message type ({@code stream})
 * @param flag          path of the bool request field that asks for a stream ({@code stream-flag},
 *                      e.g. {@code params.stream}); empty if the request has none
 * @param idleTimeout   longest wait between two chunks ({@code stream-idle-timeout-seconds})
 * @param cancelSubject subject of the cancel request ({@code cancel-subject})
 * @param cancelRequest default instance of the cancel request type ({@code cancel-request}); it and
 *                      the chunk type both have a string {@code generation_id}
 */
public record StreamSpec(Message chunk,
                         List<FieldDescriptor> flag,
                         Duration idleTimeout,
                         Optional<String> cancelSubject,
                         Optional<Message> cancelRequest) {
}
