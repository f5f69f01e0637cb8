package gaming.gateway.idempotency;

import common.v1.Meta;
import state.manager.v1.UpdateStateRequest;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored record's encoding, the request fingerprint and the record key. */
class IdempotencyRecordTest {
    private static final byte[] FINGERPRINT = new byte[32];

    @Test
    void inFlightRecordRoundTrips() {
        IdempotencyRecord record = IdempotencyRecord.decode(IdempotencyRecord.inFlight(FINGERPRINT, 1_796_000_000_123L).encode());
        assertThat(record.inFlight(), is(true));
        assertThat(record.lockedUntilMillis(), is(1_796_000_000_123L));
        assertThat(record.fingerprint(), is(FINGERPRINT));
    }

    @Test
    void completedRecordRoundTripsByteForByte() {
        byte[] body = "{\"version\":\"1\",\"note\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var answer = new IdempotencyRecord.StoredAnswer(412, "FAILED_PRECONDITION",
                                                        List.of("Content-Type", "application/problem+json"), body);
        IdempotencyRecord record = IdempotencyRecord.decode(IdempotencyRecord.completed(FINGERPRINT, answer).encode());
        assertThat(record.inFlight(), is(false));
        assertThat(record.answer().status(), is(412));
        assertThat(record.answer().code(), is("FAILED_PRECONDITION"));
        assertThat(record.answer().headers(), is(List.of("Content-Type", "application/problem+json")));
        assertThat(record.answer().body(), is(body));
    }

    @Test
    void aTruncatedOrForeignValueIsRejected() {
        byte[] encoded = IdempotencyRecord.completed(FINGERPRINT, new IdempotencyRecord.StoredAnswer(
                200, "", List.of(), new byte[100])).encode();
        assertThrows(IllegalArgumentException.class,
                     () -> IdempotencyRecord.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyRecord.decode("{\"json\":1}".getBytes()));
    }

    @Test
    void fingerprintIgnoresMetaTheKeyFieldAndMapOrderButNotThePayload() {
        var meta = UpdateStateRequest.getDescriptor().findFieldByName("meta");
        UpdateStateRequest.Builder one = UpdateStateRequest.newBuilder().setKey("k").setExpectedVersion(0)
                .setMeta(Meta.newBuilder().setTraceId("t1").setRequestId("r1"))
                .setState(Struct.newBuilder().putFields("gold", num(10)).putFields("items", num(1)));
        UpdateStateRequest.Builder two = UpdateStateRequest.newBuilder().setExpectedVersion(0).setKey("k")
                .setMeta(Meta.newBuilder().setTraceId("t2").putLabels("a", "b"))
                .setState(Struct.newBuilder().putFields("items", num(1)).putFields("gold", num(10)));
        assertThat(Fingerprint.of(one, meta, null), is(Fingerprint.of(two, meta, null)));
        assertThat(Fingerprint.of(one, meta, null).length, is(32));

        UpdateStateRequest.Builder other = two.clone().setExpectedVersion(1);
        assertThat(Fingerprint.of(other, meta, null), is(not(Fingerprint.of(one, meta, null))));
        UpdateStateRequest.Builder unset = two.clone().clearExpectedVersion(); // optional: unset is not 0
        assertThat(Fingerprint.of(unset, meta, null), is(not(Fingerprint.of(one, meta, null))));
        assertThat("the builder is left as it was", one.getMeta().getTraceId(), is("t1"));
    }

    @Test
    void recordKeysAreHexAndSeparateRoutesTenantsAndUsers() {
        String key = Fingerprint.recordKey("state-update", "acme", "u1", "k");
        assertThat(key.matches("[0-9a-f]{64}"), is(true));
        assertThat(Fingerprint.recordKey("state-update", "acme", "u1", "k"), is(key));
        assertThat(Fingerprint.recordKey("quest-generate", "acme", "u1", "k"), is(not(key)));
        assertThat(Fingerprint.recordKey("state-update", "acme2", "u1", "k"), is(not(key)));
        assertThat(Fingerprint.recordKey("state-update", "acme", "u", "1k"), is(not(key)));
    }

    private static Value num(double n) {
        return Value.newBuilder().setNumberValue(n).build();
    }
}
