package gaming.services;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import common.v1.Error;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.service.Service;
import java.io.IOException;
import java.util.Map;
import state.manager.v1.GetStateRequest;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateRequest;
import state.manager.v1.UpdateStateResponse;

/**
 * Game state store on {@code svc.state.manager.v1.update|get}. Each state is a Protobuf
 * {@code Struct} in the {@value #BUCKET} KV bucket under (tenant, key); its version is the KV
 * revision, so {@code expected_version} maps straight onto the KV compare-and-set.
 */
final class StateService {
    static final String BUCKET = "game-state";
    static final int MAX_KEY_LENGTH = 256;
    /** JetStream's "wrong last sequence" error: the compare-and-set lost. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final Connection conn;
    private final KeyValue states;

    StateService(Connection conn) throws IOException, JetStreamApiException {
        this.conn = conn;
        this.states = Buckets.open(conn, BUCKET);
    }

    Service service() {
        return Rpc.service(conn, "state-manager", "Reference game state store on JetStream KV",
                Rpc.endpoint("update", "svc.state.manager.v1.update", "state",
                        Rpc.handler(conn, UpdateStateRequest.parser(), UpdateStateResponse.getDefaultInstance(), this::update)),
                Rpc.endpoint("get", "svc.state.manager.v1.get", "state",
                        Rpc.handler(conn, GetStateRequest.parser(), GetStateResponse.getDefaultInstance(), this::get)));
    }

    private UpdateStateResponse update(UpdateStateRequest request) throws IOException, JetStreamApiException {
        String kvKey = kvKey(request.getMeta().getTenantId(), request.getKey());
        if (!request.hasState()) {
            throw Rpc.invalid("state", "state is required (a JSON object)");
        }
        byte[] value = request.getState().toByteArray();
        long version;
        try {
            if (!request.hasExpectedVersion()) {
                version = states.put(kvKey, value);
            } else if (request.getExpectedVersion() == 0) {
                version = states.create(kvKey, value);
            } else if (request.getExpectedVersion() > 0) {
                version = states.update(kvKey, value, request.getExpectedVersion());
            } else {
                throw Rpc.invalid("expected_version", "expected_version must not be negative");
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
            throw versionMismatch(request, kvKey);
        }
        return UpdateStateResponse.newBuilder().setKey(request.getKey()).setVersion(version).build();
    }

    private GetStateResponse get(GetStateRequest request) throws IOException, JetStreamApiException {
        KeyValueEntry entry = states.get(kvKey(request.getMeta().getTenantId(), request.getKey()));
        if (entry == null) {
            throw Rpc.notFound("no state for key '" + request.getKey() + "'", Map.of("key", request.getKey()));
        }
        return GetStateResponse.newBuilder()
                .setKey(request.getKey())
                .setState(parseStored(entry.getValue()))
                .setVersion(entry.getRevision())
                .build();
    }

    private Rpc.Failure versionMismatch(UpdateStateRequest request, String kvKey)
            throws IOException, JetStreamApiException {
        KeyValueEntry current = states.get(kvKey);
        long currentVersion = current == null ? 0 : current.getRevision();
        return new Rpc.Failure(Error.Code.FAILED_PRECONDITION,
                "expected_version " + request.getExpectedVersion() + " does not match the current version "
                        + currentVersion + (currentVersion == 0 ? " (no state)" : ""),
                Map.of("key", request.getKey(), "current_version", Long.toString(currentVersion)));
    }

    private static String kvKey(String tenant, String key) {
        if (key.isEmpty()) {
            throw Rpc.invalid("key", "key is required");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw Rpc.invalid("key", "key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        return Buckets.key(tenant, key);
    }

    private static Struct parseStored(byte[] value) throws InvalidProtocolBufferException {
        return value == null ? Struct.getDefaultInstance() : Struct.parseFrom(value);
    }
}
