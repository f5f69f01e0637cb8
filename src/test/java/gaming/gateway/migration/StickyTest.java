package gaming.gateway.migration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class StickyTest {
    @Test
    void bucketsSpreadKeysEvenly() {
        int[] perDecile = new int[10];
        for (int i = 0; i < 100_000; i++) {
            perDecile[Sticky.bucket("models-get", "", "user-" + i) / 1000]++;
        }
        for (int count : perDecile) {
            // 10,000 expected per tenth; the binomial standard deviation is about 95
            assertThat(count, allOf(greaterThanOrEqualTo(9_600), lessThanOrEqualTo(10_400)));
        }
    }

    @Test
    void aKeyKeepsItsBucketAndRaisingThePercentNeverMovesItBack() {
        int bucket = Sticky.bucket("models-get", "s", "user-42");
        assertThat(Sticky.bucket("models-get", "s", "user-42"), is(bucket));
        for (int bp = bucket + 1; bp <= Sticky.BUCKETS; bp += 97) {
            assertThat(Sticky.toNats(bucket, bp), is(true));
        }
        assertThat(Sticky.toNats(bucket, bucket), is(false));
    }

    @Test
    void routeAndSaltChangeTheBucketOfAKey() {
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            if (Sticky.bucket("a", "", "user-" + i) == Sticky.bucket("b", "", "user-" + i)
                    || Sticky.bucket("a", "", "user-" + i) == Sticky.bucket("a", "x", "user-" + i)) {
                same++;
            }
        }
        assertThat(same < 5, is(true));
    }
}
