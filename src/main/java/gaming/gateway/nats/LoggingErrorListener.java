package gaming.gateway.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Consumer;

import java.lang.System.Logger.Level;

/** Logs what jnats reports asynchronously (server errors, exceptions, slow consumers) and notes denied subjects. */
final class LoggingErrorListener implements ErrorListener {
    private static final System.Logger LOGGER = System.getLogger(LoggingErrorListener.class.getName());

    private final DeniedSubjects denied;
    private final ConnectionLog connectionLog;

    LoggingErrorListener(DeniedSubjects denied, ConnectionLog connectionLog) {
        this.denied = denied;
        this.connectionLog = connectionLog;
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        if (error.toLowerCase(java.util.Locale.ROOT).contains("permissions violation")) {
            LOGGER.log(Level.WARNING, "NATS permission error: " + error + "; such requests get 403 PERMISSION_DENIED");
        } else {
            LOGGER.log(Level.WARNING, "NATS server error: " + error);
        }
        denied.onServerError(error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOGGER.log(Level.DEBUG, "NATS connection exception: " + exp);
        connectionLog.connectProblem(exp);
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOGGER.log(Level.WARNING, "NATS slow consumer: messages are being dropped");
    }
}
