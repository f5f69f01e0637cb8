package gaming.bench;

/**
 * The benchmark modes of the jar ({@code bench/run} drives them):
 * {@code bench-responder}, {@code bench-direct}, {@code bench-sse} and {@code bench-legacy}. See each class.
 */
public final class Bench {
    private Bench() {
    }

    /** Runs bench mode {@code mode} with its {@code --options}. */
    public static void main(String mode, String[] args) {
        try {
            switch (mode) {
                case "bench-responder" -> BenchResponder.run(args);
                case "bench-direct" -> BenchDirect.run(args);
                case "bench-sse" -> BenchSse.run(args);
                case "bench-legacy" -> BenchLegacy.run(args);
                default -> throw new IllegalArgumentException("unknown bench mode " + mode);
            }
        } catch (Exception e) {
            // the NATS connection's threads would keep the JVM alive
            System.err.println(mode + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
