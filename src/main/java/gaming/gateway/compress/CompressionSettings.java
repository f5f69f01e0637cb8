package gaming.gateway.compress;

import io.helidon.config.Config;

/**
 * The {@code gateway.compression} block.
 *
 * @param enabled  whether JSON answers are gzip-encoded at all ({@code COMPRESSION_ENABLED}); off by default
 * @param minBytes the smallest body, in bytes, that is compressed; smaller ones are sent as they are
 * @param level    the deflate level, 1 (fastest) to 9 (smallest)
 */
public record CompressionSettings(boolean enabled, int minBytes, int level) {
    /** Bodies below this many bytes are not worth a gzip header and a round of deflate. */
    public static final int DEFAULT_MIN_BYTES = 1024;
    /** zlib's default trade-off of speed and size. */
    public static final int DEFAULT_LEVEL = 6;
    /** Compression off. */
    public static final CompressionSettings OFF = new CompressionSettings(false, DEFAULT_MIN_BYTES, DEFAULT_LEVEL);

    /**
     * Reads and checks the block.
     *
     * @throws IllegalArgumentException for {@code min-bytes} below 1 or a {@code level} outside 1..9
     */
    public static CompressionSettings create(Config node) {
        CompressionSettings s = new CompressionSettings(node.get("enabled").asBoolean().orElse(false),
                                                        node.get("min-bytes").asInt().orElse(DEFAULT_MIN_BYTES),
                                                        node.get("level").asInt().orElse(DEFAULT_LEVEL));
        if (s.minBytes < 1) {
            throw new IllegalArgumentException("gateway.compression.min-bytes must be >= 1, not " + s.minBytes);
        }
        if (s.level < 1 || s.level > 9) {
            throw new IllegalArgumentException("gateway.compression.level must be 1..9, not " + s.level);
        }
        return s;
    }
}
