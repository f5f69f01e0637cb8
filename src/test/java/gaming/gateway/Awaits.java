package gaming.gateway;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for states that change in the background. */
final class Awaits {
    private Awaits() {
    }

    static void natsConnected(Gateway gateway) {
        until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect to NATS");
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
