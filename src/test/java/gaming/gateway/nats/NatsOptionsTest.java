package gaming.gateway.nats;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The jnats options the request path's speed and its 504 timing rely on (bench/README.md). */
class NatsOptionsTest {
    private final Options options = NatsOptions.builder(
            NatsSettings.create(Config.just(ConfigSources.create(Map.of("gateway.other", "x"))).get("gateway.nats")),
            new DeniedSubjects()).build();

    @Test
    void requestsTimeOutWithinATenthOfASecondOfTheRouteTimeout() {
        // NatsClient waits untimed: jnats' cleanup is what ends a request that gets no reply
        assertThat(options.getRequestCleanupInterval(), is(Duration.ofMillis(100)));
    }

    @Test
    void publishesAreNotFlushedOneByOne() {
        assertThat(options.forceFlushOnRequest(), is(false));
    }

    @Test
    void writerAndDispatchersRunOnVirtualThreadsAndTheReaderOnAPlatformThread() throws Exception {
        assertThat(options.getExecutor().submit(() -> Thread.currentThread().isVirtual()).get(), is(true));
        assertThat(options.getReaderExecutor().submit(() -> Thread.currentThread().isVirtual()).get(), is(false));
    }
}
