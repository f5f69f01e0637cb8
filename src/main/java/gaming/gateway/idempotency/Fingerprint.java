package gaming.gateway.idempotency;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a request and its record: the fingerprint of the translated Protobuf request and
 * the record's KV key.
 */
final class Fingerprint {
    private Fingerprint() {
    }

    /**
     * SHA-256 (32 bytes) of {@code request} in Protobuf's deterministic serialization, without
     * {@code meta} and without the key field itself: JSON field order, spelling
     * ({@code model_id}/{@code modelId}), whitespace, number form and the headers that become
     * {@code Meta} (trace, request id, deadline, labels) do not change it.
     *
     * @param keyField the request's {@code idempotency_key} field, or null
     */
    static byte[] of(Message.Builder request, FieldDescriptor meta, FieldDescriptor keyField) {
        Message.Builder copy = request.clone().clearField(meta);
        if (keyField != null) {
            copy.clearField(keyField);
        }
        Message message = copy.build();
        byte[] bytes = new byte[message.getSerializedSize()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.checkNoSpaceLeft();
        return sha256().digest(bytes);
    }

    /**
     * The KV key of a record: hex SHA-256 of route, tenant, user and key, so that no client value
     * becomes a KV key (KV keys allow only {@code [-/_=.a-zA-Z0-9]}) and one client's key cannot
     * meet another tenant's or user's.
     */
    static String recordKey(String route, String tenant, String user, String key) {
        MessageDigest digest = sha256();
        for (String part : new String[] {route, tenant, user, key}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            for (int shift = 24; shift >= 0; shift -= 8) {
                digest.update((byte) (bytes.length >>> shift));
            }
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
