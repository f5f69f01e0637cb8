package gaming.gateway.compress;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Accept-Encoding negotiation (RFC 9110 section 12.5.3), the gzip round trip and the settings' bounds. */
class ResponseCompressionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip | true",
            "GZIP | true",
            "x-gzip | true",
            "deflate, gzip;q=0.5 | true",
            "gzip;q=0 | false",
            "gzip; q=0.000 | false",
            "gzip;q=0, * | false",
            "* | true",
            "*;q=0 | false",
            "br, deflate | false",
            "identity | false",
            "'' | false",
            "gzip;q=abc | false"})
    void acceptsGzip(String acceptEncoding, boolean expected) {
        assertThat(acceptEncoding, ResponseCompression.acceptsGzip(acceptEncoding), is(expected));
    }

    @Test
    void noHeaderMeansNoGzip() {
        assertThat(ResponseCompression.acceptsGzip(null), is(false));
    }

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
