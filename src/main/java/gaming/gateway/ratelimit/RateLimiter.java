package gaming.gateway.ratelimit;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per client key for one route. Each bucket holds up to {@code requests} tokens and
 * refills at {@code requests / window}; a request takes one. A bucket that has refilled completely
 * is the same as none, so it can be dropped at no cost: when more than {@code maxKeys} keys are
 * held, full buckets are dropped first, then (all clients busy) any, until 90 % of
 * {@code maxKeys} remain. Memory is thus bounded by {@code maxKeys} buckets. Thread-safe; a
 * bucket's own lock is held for a few arithmetic operations.
 */
public final class RateLimiter {
    private final long capacity;
    /** Nanoseconds per token. */
    private final double nanosPerToken;
    private final int maxKeys;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** What one request got. */
    public record Decision(boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final class Bucket {
        private double tokens = capacity;
        private long updated;

        Bucket(long now) {
            this.updated = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            long reset = ceilSeconds((capacity - tokens) * nanosPerToken);
            long retry = allowed ? 0 : Math.max(1, ceilSeconds((1 - tokens) * nanosPerToken));
            return new Decision(allowed, (long) Math.floor(tokens), reset, retry);
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            long elapsed = now - updated;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed / nanosPerToken);
                updated = now;
            }
        }
    }

    RateLimiter(RateLimitSettings settings, LongSupplier clock) {
        this.capacity = settings.requests();
        this.nanosPerToken = (double) settings.window().toNanos() / capacity;
        this.maxKeys = settings.maxKeys();
        this.clock = clock;
    }

    /** The limiter of {@code settings}, on {@link System#nanoTime}. */
    public static RateLimiter create(RateLimitSettings settings) {
        return new RateLimiter(settings, System::nanoTime);
    }

    /** Takes a token for {@code key}. */
    public Decision acquire(String key) {
        long now = clock.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                evict(now);
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(now));
        }
        return bucket.take(now);
    }

    /** How many client keys are held now. */
    public int keys() {
        return buckets.size();
    }

    private void evict(long now) {
        int target = Math.max(0, maxKeys - Math.max(1, maxKeys / 10));
        buckets.values().removeIf(b -> b.full(now));
        Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
        while (buckets.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static long ceilSeconds(double nanos) {
        return (long) Math.ceil(nanos / 1e9);
    }
}
