package gaming.services;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JetStream key-value buckets: opened (created when missing) and safe key building. */
final class Buckets {
    private Buckets() {
    }

    /** Opens the bucket, creating it (one value per key, file storage) if it does not exist. */
    static KeyValue open(Connection conn, String bucket) throws IOException, JetStreamApiException {
        KeyValueManagement kvm = conn.keyValueManagement();
        if (!kvm.getBucketNames().contains(bucket)) {
            // Creating with an identical configuration is idempotent, so racing instances are fine.
            kvm.create(KeyValueConfiguration.builder()
                    .name(bucket)
                    .maxHistoryPerKey(1)
                    .storageType(StorageType.File)
                    .build());
        }
        return conn.keyValue(bucket);
    }

    /**
     * A KV key made of the given parts, one key token each. KV keys allow only
     * {@code [-/_=.a-zA-Z0-9]}, so other characters become {@code =XX} (UTF-8 bytes in hex) and an
     * empty part becomes {@code =}; distinct parts therefore always give distinct keys.
     */
    static String key(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            if (!key.isEmpty()) {
                key.append('.');
            }
            if (part.isEmpty()) {
                key.append('=');
            }
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                    key.append(c);
                } else {
                    key.append('=').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return key.toString();
    }
}
