package gaming.gateway.migration;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class JsonDiffTest {
    private static List<String> diff(JsonDiff d, String a, String b) {
        return d.compare(JsonParser.parseString(a), JsonParser.parseString(b)).stream()
                .map(x -> x.path() + "=" + x.left() + "|" + x.right()).toList();
    }

    @Test
    void numbersCompareByValueAndInt64StringsAsNumbers() {
        JsonDiff d = new JsonDiff(List.of(), List.of());
        assertThat(diff(d, "{\"a\":10,\"b\":\"10\",\"c\":1e1}", "{\"a\":10.0,\"b\":10,\"c\":10}"), is(List.of()));
        assertThat(diff(d, "{\"a\":10}", "{\"a\":\"x\"}"), is(List.of("/a=10|\"x\"")));
    }

    @Test
    void pathsAreJsonPointersAndMissingMembersAreNull() {
        JsonDiff d = new JsonDiff(List.of(), List.of());
        assertThat(diff(d, "{\"a/b\":{\"c~\":[1,2]}}", "{\"a/b\":{\"c~\":[1,3]},\"n\":true}"),
                   is(List.of("/a~1b/c~0/1=2|3", "/n=null|true")));
    }

    @Test
    void arraysAreOrderedUnlessListedAsUnordered() {
        assertThat(diff(new JsonDiff(List.of(), List.of()), "{\"t\":[1,2]}", "{\"t\":[2,1]}"),
                   is(List.of("/t/0=1|2", "/t/1=2|1")));
        JsonDiff unordered = new JsonDiff(List.of(), List.of("/t", "/u/*/v"));
        assertThat(diff(unordered, "{\"t\":[1,{\"x\":2}],\"u\":[{\"v\":[3,4]}]}", "{\"t\":[{\"x\":2.0},1],\"u\":[{\"v\":[4,3]}]}"),
                   is(List.of()));
        assertThat(diff(unordered, "{\"t\":[1,2]}", "{\"t\":[2,2]}"), is(List.of("/t=[1,2]|[2,2]")));
    }

    @Test
    void ignoredPathsAndEverythingBelowAreLeftOut() {
        JsonDiff d = new JsonDiff(List.of("/meta", "/items/*/generated_at"), List.of());
        assertThat(diff(d, "{\"meta\":{\"x\":1},\"items\":[{\"generated_at\":1,\"v\":1}]}",
                        "{\"meta\":{\"x\":2},\"items\":[{\"generated_at\":2,\"v\":2}]}"),
                   is(List.of("/items/0/v=1|2")));
    }

    @Test
    void theGeneralFormOfAPathHasNoIndices() {
        assertThat(JsonDiff.general("/items/12/ts"), is("/items/*/ts"));
        assertThat(JsonDiff.general("/a1/2"), is("/a1/*"));
    }
}
