package gaming.gateway.migration;

import gaming.gateway.error.GatewayException;
import gaming.gateway.route.RouteConfigException;

import com.google.gson.JsonParser;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MigrationSettingsTest {
    private static Config migration(Map<String, String> keys) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys)).build().get("migration");
    }

    @Test
    void aRouteWithoutABlockIsNatsOnly() {
        assertThat(MigrationSettings.create(migration(Map.of()), false, "r"), is(MigrationSettings.NATS_ONLY));
    }

    @Test
    void everyKeyIsRead() {
        MigrationSettings s = MigrationSettings.create(migration(Map.of(
                "migration.mode", "split", "migration.percent", "12.5", "migration.primary", "nats",
                "migration.sticky-by", "tenant", "migration.shadow", "true", "migration.fallback", "legacy",
                "migration.ignore.0", "meta", "migration.unordered.0", "/items", "migration.shadow-writes", "true",
                "migration.noise-sample", "0.25")), true, "r");
        assertThat(s, is(new MigrationSettings(MigrationSettings.Mode.SPLIT, 1250, MigrationSettings.Side.NATS,
                                               MigrationSettings.StickyBy.TENANT, true, true, List.of("/meta"), List.of("/items"),
                                               true, 0.25)));
        assertThat(s.changeJson().toString(), is("{\"mode\":\"split\",\"percent\":12.5,\"primary\":\"nats\",\"sticky-by\":\"tenant\","
                + "\"shadow\":true,\"fallback\":\"legacy\",\"shadow-writes\":true,\"noise-sample\":0.25}"));
    }

    @Test
    void invalidBlocksFailNamingTheRoute() {
        assertThat(assertThrows(RouteConfigException.class, () -> MigrationSettings.create(
                migration(Map.of("migration.mode", "mirror")), true, "quest")).getMessage(),
                   is("route quest: migration.mode 'mirror' is not one of nats, legacy, shadow, split"));
        assertThat(assertThrows(RouteConfigException.class, () -> MigrationSettings.create(
                migration(Map.of("migration.percent", "10.005")), true, "quest")).getMessage(),
                   is("route quest: migration.percent must be 0 to 100 in steps of 0.01, got 10.005"));
        assertThat(assertThrows(RouteConfigException.class, () -> MigrationSettings.create(
                migration(Map.of("migration.mode", "shadow")), false, "quest")).getMessage(),
                   is("route quest: migration.mode shadow needs a legacy block"));
        assertThat(assertThrows(RouteConfigException.class, () -> MigrationSettings.create(
                migration(Map.of("migration.noise-sample", "2")), true, "quest")).getMessage(),
                   is("route quest: migration.noise-sample must be a share from 0 to 1, got 2.0"));
    }

    @Test
    void aLiveChangeReplacesOnlyItsFieldsAndRefusesUnknownOnes() {
        MigrationSettings base = MigrationSettings.create(migration(Map.of("migration.mode", "shadow", "migration.ignore.0", "meta")),
                                                          true, "r");
        MigrationSettings next = base.with(JsonParser.parseString("{\"mode\":\"split\",\"percent\":50}").getAsJsonObject(), true);
        assertThat(next.mode(), is(MigrationSettings.Mode.SPLIT));
        assertThat(next.basisPoints(), is(5000));
        assertThat(next.ignore(), is(List.of("/meta")));
        GatewayException e = assertThrows(GatewayException.class,
                                          () -> base.with(JsonParser.parseString("{\"ignore\":\"x\"}").getAsJsonObject(), true));
        assertThat(e.status(), is(400));
        assertThat(assertThrows(GatewayException.class,
                                () -> base.with(JsonParser.parseString("{\"shadow\":\"yes\"}").getAsJsonObject(), true)).getMessage(),
                   is("shadow must be true or false"));
    }
}
