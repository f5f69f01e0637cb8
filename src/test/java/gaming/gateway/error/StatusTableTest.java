package gaming.gateway.error;

import common.v1.Error.Code;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatusTableTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "INVALID_ARGUMENT, 400",
            "UNAUTHENTICATED, 401",
            "PERMISSION_DENIED, 403",
            "NOT_FOUND, 404",
            "CONFLICT, 409",
            "FAILED_PRECONDITION, 412",
            "RESOURCE_EXHAUSTED, 429",
            "INTERNAL, 500",
            "UNIMPLEMENTED, 501",
            "UNAVAILABLE, 503",
            "DEADLINE_EXCEEDED, 504",
            "CANCELLED, 499",
            "ALREADY_EXISTS, 409",
            "ABORTED, 409",
            "OUT_OF_RANGE, 400",
            "UNKNOWN, 500",
            "DATA_LOSS, 500",
    })
    void defaultTableMapsEveryCode(Code code, int status) {
        assertThat(StatusTable.defaultStatus(code), is(status));
        assertThat(StatusTable.defaults().status(code), is(status));
    }

    @Test
    void overrideReplacesOnlyItsEntry() {
        StatusTable table = StatusTable.withOverrides(Map.of(Code.NOT_FOUND, 410, Code.CONFLICT, 422));

        assertThat(table.status(Code.NOT_FOUND), is(410));
        assertThat(table.status(Code.CONFLICT), is(422));
        assertThat(table.status(Code.ALREADY_EXISTS), is(409));
        assertThat(table.status(Code.INVALID_ARGUMENT), is(400));
        assertThat("defaults stay untouched", StatusTable.defaults().status(Code.NOT_FOUND), is(404));
    }

    @Test
    void noOverridesIsTheDefaultTable() {
        assertThat(StatusTable.withOverrides(Map.of()), sameInstance(StatusTable.defaults()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 99, 600, 1000, -404})
    void overrideOutsideHttpStatusRangeIsRejected(int status) {
        var e = assertThrows(IllegalArgumentException.class,
                             () -> StatusTable.withOverrides(Map.of(Code.NOT_FOUND, status)));
        assertThat(e.getMessage(), containsString("NOT_FOUND"));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 599})
    void overrideAtRangeBoundsIsAccepted(int status) {
        assertThat(StatusTable.withOverrides(Map.of(Code.INTERNAL, status)).status(Code.INTERNAL), is(status));
    }
}
