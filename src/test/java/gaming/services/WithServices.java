package gaming.services;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the integration tests: a real nats-server with the reference services, per test class. */
abstract class WithServices {
    /** Delay between streamed tokens: long enough to cancel in between, short enough for fast tests. */
    static final Duration TOKEN_DELAY = Duration.ofMillis(50);
    static ServicesFixture fx;

    @BeforeAll
    static void startServices() throws Exception {
        fx = ServicesFixture.start(TOKEN_DELAY);
    }

    @AfterAll
    static void stopServices() throws Exception {
        fx.close();
    }
}
