package gaming.gateway.observe;

/** Why a stream ended, once it had started. */
public enum StreamEnd {
    /** The service sent the final chunk. */
    COMPLETED,
    /** The service sent a chunk with an error; relayed as an error event. */
    SERVICE_ERROR,
    /** The client went away; the service was told to cancel. */
    DISCONNECTED,
    /** No chunk within the idle timeout; error event, cancelled. */
    IDLE_TIMEOUT,
    /** The client read too slowly and the stream's queue overflowed; error event, cancelled. */
    OVERFLOW,
    /** The gateway is shutting down; error event, cancelled. */
    SHUTDOWN,
    /** The service sent something that is not a chunk; error event, cancelled. */
    BAD_CHUNK
}
