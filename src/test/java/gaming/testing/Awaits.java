package gaming.testing;

import gaming.gateway.Gateway;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for states that change in the background. */
public final class Awaits {
    private Awaits() {
    }

    public static void natsConnected(Gateway gateway) {
        until(gateway::natsConnected, Duration.ofSeconds(10), "the gateway to connect to NATS");
    }

    /** Polls {@code condition} every 20 ms; returns how long it took (ms), or fails after {@code timeout}. */
    public static long until(BooleanSupplier condition, Duration timeout, String what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
