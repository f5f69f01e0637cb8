package gaming.gateway.idempotency;

/** The idempotency store could not be reached or answered with an error: the record's state is unknown. */
final class StoreException extends Exception {
    private StoreException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** {@code what} failed because of {@code cause}. */
    static StoreException failed(String what, Throwable cause) {
        String why = cause == null ? "" : ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        return new StoreException(what + why, cause);
    }

    /** No attempt was made: the last attempt to open the bucket failed moments ago. */
    static StoreException backingOff(String lastFailure) {
        return new StoreException("idempotency store unavailable (" + lastFailure + ")", null);
    }
}
