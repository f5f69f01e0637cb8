package gaming.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import common.v1.Error;
import common.v1.Meta;
import org.junit.jupiter.api.Test;
import state.manager.v1.GetStateRequest;
import state.manager.v1.GetStateResponse;
import state.manager.v1.UpdateStateRequest;
import state.manager.v1.UpdateStateResponse;

class StateServiceIT extends WithServices {
    static final Meta TENANT_A = ServicesFixture.meta("trace-state", "tenant-a", "u");
    static final Meta TENANT_B = ServicesFixture.meta("trace-state", "tenant-b", "u");

    static Struct state(String gold) {
        return Struct.newBuilder().putFields("gold", Value.newBuilder().setStringValue(gold).build()).build();
    }

    UpdateStateResponse update(Meta meta, String key, Struct state, Long expectedVersion) {
        UpdateStateRequest.Builder request = UpdateStateRequest.newBuilder().setMeta(meta).setKey(key).setState(state);
        if (expectedVersion != null) {
            request.setExpectedVersion(expectedVersion);
        }
        return fx.call("svc.state.manager.v1.update", request.build(), UpdateStateResponse.parser());
    }

    GetStateResponse get(Meta meta, String key) {
        return fx.call("svc.state.manager.v1.get",
                GetStateRequest.newBuilder().setMeta(meta).setKey(key).build(), GetStateResponse.parser());
    }

    @Test
    void getOfAMissingKeyIsNotFound() {
        GetStateResponse missing = get(TENANT_A, "player:nobody:inventory");
        assertThat(missing.getError().getCode(), is(Error.Code.NOT_FOUND));
        assertThat(missing.getError().getDetailsMap().get("key"), is("player:nobody:inventory"));
        assertThat(missing.getMeta().getTraceId(), is("trace-state"));
    }

    @Test
    void updateThenGetReturnsTheStateAndItsVersion() {
        UpdateStateResponse updated = update(TENANT_A, "player:123:inventory", state("10"), null);
        assertThat(updated.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(updated.getKey(), is("player:123:inventory"));
        assertThat(updated.getVersion(), greaterThan(0L));
        assertThat(updated.getMeta().getTraceId(), is("trace-state"));

        GetStateResponse read = get(TENANT_A, "player:123:inventory");
        assertThat(read.getState(), is(state("10")));
        assertThat(read.getVersion(), is(updated.getVersion()));
    }

    @Test
    void compareAndSetRejectsAStaleVersionAndAcceptsTheCurrentOne() {
        String key = "player:cas:gold";
        UpdateStateResponse created = update(TENANT_A, key, state("1"), 0L);
        assertThat(created.getError().getCode(), is(Error.Code.UNSPECIFIED));
        long v1 = created.getVersion();

        UpdateStateResponse again = update(TENANT_A, key, state("x"), 0L);
        assertThat(again.getError().getCode(), is(Error.Code.FAILED_PRECONDITION));

        long v2 = update(TENANT_A, key, state("2"), v1).getVersion();
        assertThat(v2, greaterThan(v1));

        UpdateStateResponse stale = update(TENANT_A, key, state("stale"), v1);
        assertThat(stale.getError().getCode(), is(Error.Code.FAILED_PRECONDITION));
        assertThat(stale.getError().getDetailsMap().get("current_version"), is(Long.toString(v2)));
        assertThat(stale.getMeta().getTraceId(), is("trace-state"));
        assertThat(get(TENANT_A, key).getState(), is(state("2")));

        UpdateStateResponse current = update(TENANT_A, key, state("3"), v2);
        assertThat(current.getError().getCode(), is(Error.Code.UNSPECIFIED));
        assertThat(current.getVersion(), greaterThan(v2));
        assertThat(get(TENANT_A, key).getVersion(), is(current.getVersion()));
    }

    @Test
    void keysAreScopedByTenant() {
        update(TENANT_A, "world:flags", state("a"), null);
        assertThat(get(TENANT_B, "world:flags").getError().getCode(), is(Error.Code.NOT_FOUND));
        update(TENANT_B, "world:flags", state("b"), null);
        assertThat(get(TENANT_A, "world:flags").getState(), is(state("a")));
        assertThat(get(TENANT_B, "world:flags").getState(), is(state("b")));
    }

    @Test
    void invalidUpdatesAreRejected() {
        UpdateStateResponse noKey = update(TENANT_A, "", state("1"), null);
        assertThat(noKey.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(noKey.getError().getDetailsMap().get("field"), is("key"));

        UpdateStateResponse noState = fx.call("svc.state.manager.v1.update",
                UpdateStateRequest.newBuilder().setMeta(TENANT_A).setKey("k").build(), UpdateStateResponse.parser());
        assertThat(noState.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
        assertThat(noState.getError().getDetailsMap().get("field"), is("state"));

        UpdateStateResponse negative = update(TENANT_A, "k", state("1"), -1L);
        assertThat(negative.getError().getCode(), is(Error.Code.INVALID_ARGUMENT));
    }
}
