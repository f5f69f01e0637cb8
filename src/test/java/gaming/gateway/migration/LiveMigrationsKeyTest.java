package gaming.gateway.migration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Route names as keys of the shared bucket: plain when they are KV keys, else encoded, and back. */
class LiveMigrationsKeyTest {
    @Test
    void aNameThatIsAKvKeyIsItsOwnKey() {
        assertThat(LiveMigrations.kvKey("quest-generate"), is("quest-generate"));
        assertThat(LiveMigrations.kvKey("models.get_v1"), is("models.get_v1"));
        assertThat(LiveMigrations.routeOf("quest-generate"), is("quest-generate"));
    }

    @Test
    void anyOtherNameIsEncodedAndDecodedBack() {
        for (String name : new String[] {"/ai/models/{model_id}", "models get", "b64.x", ".lead", "trail.", "a..b", "é"}) {
            String key = LiveMigrations.kvKey(name);
            assertThat(name, key.matches("b64\\.[A-Za-z0-9_-]+"), is(true));
            assertThat(LiveMigrations.routeOf(key), is(name));
        }
        assertThat(LiveMigrations.kvKey("models get"), is("b64.bW9kZWxzIGdldA"));
    }
}
