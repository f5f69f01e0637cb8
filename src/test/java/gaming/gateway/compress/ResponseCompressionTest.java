package gaming.gateway.compress;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The gzip round trip and the settings' bounds; Accept-Encoding is {@link AcceptEncodingTest}'s. */
class ResponseCompressionTest {
    @Test
    void gzipRoundTrips() throws IOException {
        byte[] body = "{\"text\":\"".concat("abc".repeat(5000)).concat("\"}").getBytes();

        byte[] gz = ResponseCompression.gzip(body, 1);

        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), is(body));
    }

    @Test
    void settingsDefaultToOffAndCheckTheirBounds() {
        assertThat(CompressionSettings.create(config(Map.of())), is(CompressionSettings.OFF));
        assertThat(ResponseCompression.create(CompressionSettings.OFF), is((ResponseCompression) null));
        assertThat(assertThrows(IllegalArgumentException.class,
                                () -> CompressionSettings.create(config(Map.of("level", "10")))).getMessage(),
                   is("gateway.compression.level must be 1..9, not 10"));
        assertThat(assertThrows(IllegalArgumentException.class,
                                () -> CompressionSettings.create(config(Map.of("min-bytes", "0")))).getMessage(),
                   is("gateway.compression.min-bytes must be >= 1, not 0"));
    }

    private static Config config(Map<String, String> keys) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys)).build();
    }
}
