package gaming.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Token buckets on a fake clock: quota, refill, Retry-After, and bounded memory. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimiter limiter(long requests, long windowSeconds, int maxKeys) {
        return new RateLimiter(new RateLimitSettings(requests, Duration.ofSeconds(windowSeconds),
                                                     RateLimitSettings.Key.USER, maxKeys), now::get);
    }

    @Test
    void theQuotaThenOneTokenPerWindowOverRequests() {
        RateLimiter limiter = limiter(3, 60, 100);

        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(true, 2, 20, 0)));
        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(true, 1, 40, 0)));
        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(true, 0, 60, 0)));
        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(false, 0, 60, 20)));
        assertThat(limiter.acquire("b"), is(new RateLimiter.Decision(true, 2, 20, 0)));

        now.addAndGet(TimeUnit.SECONDS.toNanos(15));
        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(false, 0, 45, 5)));
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(limiter.acquire("a"), is(new RateLimiter.Decision(true, 0, 60, 0)));
    }

    @Test
    void memoryStaysBoundedWith100000DistinctKeys() {
        RateLimiter limiter = limiter(10, 60, 10_000);
        int allowed = 0;
        for (int i = 0; i < 100_000; i++) {
            if (limiter.acquire("client-" + i).allowed()) {
                allowed++;
            }
            assertThat(limiter.keys(), lessThanOrEqualTo(10_000));
        }
        assertThat(allowed, is(100_000));
        assertThat(limiter.keys(), lessThanOrEqualTo(10_000));
    }

    @Test
    void idleKeysAreDroppedBeforeBusyOnes() {
        RateLimiter limiter = limiter(2, 60, 10);
        for (int i = 0; i < 9; i++) {
            limiter.acquire("idle-" + i);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        limiter.acquire("busy");
        limiter.acquire("busy");
        assertThat(limiter.keys(), is(10));

        limiter.acquire("new");

        assertThat(limiter.keys(), is(2));
        assertThat(limiter.acquire("busy").allowed(), is(false));
    }
}
