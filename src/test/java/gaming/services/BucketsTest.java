package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

class BucketsTest {
    @Test
    void keepsSafeCharactersAndEscapesTheRest() {
        assertThat(Buckets.key("tenant-1", "player:123:inventory"), is("tenant-1.player=3A123=3Ainventory"));
        assertThat(Buckets.key("", "k"), is("=.k"));
        assertThat(Buckets.key("é", "a.b"), is("=C3=A9.a=2Eb"));
    }

    @Test
    void distinctPartsGiveDistinctKeys() {
        assertThat(Buckets.key("a.b", "c"), not(Buckets.key("a", "b.c")));
        assertThat(Buckets.key("", "x"), not(Buckets.key("=", "x")));
        assertThat(Buckets.key("=3D", "x"), not(Buckets.key("=", "x")));
    }
}
