package gaming.gateway.migration;

import java.nio.charset.StandardCharsets;

/**
 * The sticky split: a stable key (user, tenant, client or address) hashed with the route's name
 * and a salt into one of {@link #BUCKETS} buckets. A request goes to NATS when its bucket is below
 * {@code percent × 100}, so a key always lands on the same side, and raising the percentage only
 * moves keys from legacy to NATS, never back.
 */
public final class Sticky {
    /** Number of buckets: one per 0.01 %. */
    public static final int BUCKETS = 10_000;

    private Sticky() {
    }

    /**
     * The bucket of {@code key} on {@code route}: 64-bit FNV-1a over the UTF-8 bytes of route, salt
     * and key (separated by a zero byte), then the MurmurHash3 64-bit finaliser, modulo {@link #BUCKETS}.
     *
     * @return 0 to {@link #BUCKETS} - 1
     */
    public static int bucket(String route, String salt, String key) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, route);
        h = mix(h, salt);
        h = mix(h, key);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    /** Whether {@code bucket} goes to NATS at {@code basisPoints} (percent × 100, 0..10,000). */
    public static boolean toNats(int bucket, int basisPoints) {
        return bucket < basisPoints;
    }

    private static long mix(long h, String part) {
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= 0;
        return h * 0x100000001b3L;
    }
}
