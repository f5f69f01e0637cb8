package gaming.gateway.connection;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectionSettingsTest {
    private static ConnectionSettings of(Map<String, String> keys) {
        return ConnectionSettings.create(Config.just(ConfigSources.create(keys)));
    }

    @Test
    void defaultCapIsThreeQuartersOfTheFdLimitLessTheReserve() {
        assertEquals(576, ConnectionSettings.automaticMaxOpen(1024));
        assertEquals(48_960, ConnectionSettings.automaticMaxOpen(65_536));
        assertEquals(16, ConnectionSettings.automaticMaxOpen(200)); // never below 16
        assertEquals(10_000, ConnectionSettings.automaticMaxOpen(-1)); // limit unknown
    }

    @Test
    void acceptLimitLeavesAnEighthForThe503s() {
        assertEquals(648, new ConnectionSettings(576, Duration.ofSeconds(10), Duration.ofSeconds(150)).acceptLimit());
        assertEquals(36, new ConnectionSettings(20, Duration.ofSeconds(10), Duration.ofSeconds(150)).acceptLimit());
    }

    @Test
    void readsItsKeysWithDefaults() {
        ConnectionSettings set = of(Map.of("max-open", "300", "header-read-timeout-seconds", "4", "idle-timeout-seconds", "130"));
        assertEquals(new ConnectionSettings(300, Duration.ofSeconds(4), Duration.ofSeconds(130)), set);
        ConnectionSettings defaults = of(Map.of());
        assertEquals(Duration.ofSeconds(10), defaults.headerReadTimeout());
        assertEquals(Duration.ofSeconds(150), defaults.idleTimeout());
        assertEquals(ConnectionSettings.automaticMaxOpen(ConnectionSettings.maxFileDescriptors()), defaults.maxOpen());
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertEquals("gateway.connections.header-read-timeout-seconds must be > 0",
                     assertThrows(IllegalArgumentException.class,
                                  () -> of(Map.of("header-read-timeout-seconds", "0"))).getMessage());
        assertEquals("gateway.connections.idle-timeout-seconds must be > 0",
                     assertThrows(IllegalArgumentException.class,
                                  () -> of(Map.of("idle-timeout-seconds", "-5"))).getMessage());
        assertEquals("gateway.connections.max-open must be >= 0 (0: automatic), was -1",
                     assertThrows(IllegalArgumentException.class, () -> of(Map.of("max-open", "-1"))).getMessage());
        assertEquals("gateway.connections.max-open must be > 0, was -1",
                     assertThrows(IllegalArgumentException.class,
                                  () -> new ConnectionSettings(-1, Duration.ofSeconds(1), Duration.ofSeconds(1))).getMessage());
    }
}
