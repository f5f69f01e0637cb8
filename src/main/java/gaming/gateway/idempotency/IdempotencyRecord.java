package gaming.gateway.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The value stored under one key: the request's fingerprint and either "in flight, locked until"
 * or the stored answer. Encoded in a small versioned binary form (not JSON: the body is bytes).
 *
 * @param fingerprint       SHA-256 of the canonical request ({@link Fingerprint}), 32 bytes
 * @param lockedUntilMillis while in flight: Unix time (ms) after which another request may take
 *                          the lock over; 0 once completed
 * @param answer            the stored answer; null while in flight
 */
record IdempotencyRecord(byte[] fingerprint, long lockedUntilMillis, StoredAnswer answer) {
    private static final int VERSION = 1;

    /**
     * An answer as it is replayed: status, the headers that matter, body bytes.
     *
     * @param status  HTTP status
     * @param code    error code of a 4xx ({@code FAILED_PRECONDITION}), empty for a 2xx
     * @param headers header names and values, alternating
     * @param body    the body, byte for byte
     */
    record StoredAnswer(int status, String code, List<String> headers, byte[] body) {
    }

    static IdempotencyRecord inFlight(byte[] fingerprint, long lockedUntilMillis) {
        return new IdempotencyRecord(fingerprint, lockedUntilMillis, null);
    }

    static IdempotencyRecord completed(byte[] fingerprint, StoredAnswer answer) {
        return new IdempotencyRecord(fingerprint, 0, answer);
    }

    boolean inFlight() {
        return answer == null;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (answer == null ? 0 : answer.body.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(fingerprint.length);
            out.write(fingerprint);
            out.writeLong(lockedUntilMillis);
            out.writeBoolean(answer != null);
            if (answer != null) {
                out.writeShort(answer.status);
                out.writeUTF(answer.code);
                out.writeShort(answer.headers.size());
                for (String h : answer.headers) {
                    out.writeUTF(h);
                }
                out.writeInt(answer.body.length);
                out.write(answer.body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The record {@code value} encodes.
     *
     * @throws IllegalArgumentException when {@code value} is not a record of this version
     */
    static IdempotencyRecord decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readUnsignedByte() != VERSION) {
                throw new IllegalArgumentException("unknown idempotency record version");
            }
            byte[] fingerprint = in.readNBytes(in.readUnsignedByte());
            long lockedUntil = in.readLong();
            if (!in.readBoolean()) {
                return inFlight(fingerprint, lockedUntil);
            }
            int status = in.readUnsignedShort();
            String code = in.readUTF();
            int headerCount = in.readUnsignedShort();
            List<String> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(in.readUTF());
            }
            int length = in.readInt();
            byte[] body = in.readNBytes(length);
            if (body.length != length || headerCount % 2 != 0) {
                throw new IllegalArgumentException("truncated idempotency record");
            }
            return completed(fingerprint, new StoredAnswer(status, code, List.copyOf(headers), body));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated idempotency record", e);
        }
    }
}
