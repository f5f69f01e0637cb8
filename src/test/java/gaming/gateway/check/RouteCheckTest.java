package gaming.gateway.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** {@code check}: the shipped table passes with its nine routes; each kind of broken table fails naming the route. */
class RouteCheckTest {
    private static final String GOOD = """
                - name: models-get
                  path: /ai/models/{model_id}
                  subject: svc.ai.model.v1.get
                  request: ai.model.v1.GetModelRequest
                  reply: ai.model.v1.GetModelResponse
            """;

    @TempDir
    Path dir;

    /** Exit status, standard output and standard error of one run. */
    record Run(int status, String out, String err) {
    }

    @Test
    void theShippedTablePrintsItsNineRoutesAndExitsZero() {
        Run run = run("application.yaml");
        assertThat(run.err(), run.status(), is(0));
        assertThat(run.err(), is(""));
        String[] lines = run.out().split("\n");
        assertThat(lines.length, is(11));
        assertThat(lines[0].split(" +"), is(new String[] {"NAME", "PATH", "SUBJECT", "REQUEST", "REPLY", "STREAM",
                                                          "TIMEOUT", "TYPES"}));
        assertThat(lines[1].split(" +"), is(new String[] {"llm-infer", "POST", "/ai/llm/infer", "svc.ai.llm.v1.infer",
                                                          "ai.llm.v1.InferRequest", "ai.llm.v1.InferResponse",
                                                          "ai.llm.v1.InferChunk", "30s", "compiled"}));
        assertThat(lines[2].split(" +")[0], is("llm-cancel"));
        assertThat(lines[2].split(" +")[7], is("5s"));
        assertThat(lines[9].split(" +")[0], is("npc-behavior"));
        assertThat(lines[10], is("9 routes OK"));
    }

    @Test
    void withoutArgumentsTheConfigurationIsTheGatewaysOwn() {
        Run run = RouteCheckTest.invoke(new String[0], Map.of());
        assertThat(run.err(), run.status(), is(0));
        assertThat(run.out(), containsString("9 routes OK"));
    }

    @Test
    void anUnknownTypeFailsNamingTheRouteAndType() throws IOException {
        Run run = run(table(GOOD + """
                - name: bad-type
                  path: /bad
                  subject: svc.bad
                  request: nope.v1.Missing
                  reply: ai.model.v1.GetModelResponse
            """));
        assertThat(run.status(), is(1));
        assertThat(run.out(), is(""));
        assertThat(run.err(), is("check: route bad-type (/bad): request type 'nope.v1.Missing' does not resolve to a"
                                 + " generated Protobuf message or a type of gateway.descriptor-sets\n"));
    }

    @Test
    void aDuplicatePathFails() throws IOException {
        Run run = run(table(GOOD + GOOD.replace("name: models-get", "name: models-get-again")));
        assertThat(run.status(), is(1));
        assertThat(run.err(), is("check: route models-get-again: duplicate path /ai/models/{model_id}\n"));
    }

    @Test
    void anOverlappingPathFails() throws IOException {
        Run run = run(table(GOOD + GOOD.replace("name: models-get", "name: models-all")
                .replace("/ai/models/{model_id}", "/ai/models/all")));
        assertThat(run.status(), is(1));
        assertThat(run.err(), is("check: route models-all: path /ai/models/all overlaps /ai/models/{model_id} of route"
                                 + " models-get: one request path matches both\n"));
    }

    @Test
    void aPathParameterWithoutAFieldFails() throws IOException {
        Run run = run(table(GOOD.replace("/ai/models/{model_id}", "/ai/models/{id}")));
        assertThat(run.status(), is(1));
        assertThat(run.err(), is("check: route models-get (/ai/models/{id}): path parameter {id} has no field 'id' in"
                                 + " ai.model.v1.GetModelRequest (set path-params)\n"));
    }

    @Test
    void aWildcardSubjectFails() throws IOException {
        Run run = run(table(GOOD.replace("svc.ai.model.v1.get", "svc.ai.*.get")));
        assertThat(run.status(), is(1));
        assertThat(run.err(), is("check: route models-get (/ai/models/{model_id}): subject 'svc.ai.*.get' is not a"
                                 + " valid NATS subject without wildcards\n"));
    }

    @Test
    void aMissingCancelTypeFails() throws IOException {
        Run run = run(table("""
                - name: llm-infer
                  path: /ai/llm/infer
                  subject: svc.ai.llm.v1.infer
                  request: ai.llm.v1.InferRequest
                  reply: ai.llm.v1.InferResponse
                  stream: ai.llm.v1.InferChunk
                  stream-flag: params.streaming
            """));
        assertThat(run.status(), is(1));
        assertThat(run.err(), is("check: route llm-infer (/ai/llm/infer): stream-flag params.streaming is not a field"
                                 + " of ai.llm.v1.InferRequest\n"));
    }

    @Test
    void routesTypedByADescriptorSetResolve() {
        Run run = run("src/test/resources/dice-routes.yaml");
        assertThat(run.err(), run.status(), is(0));
        String[] lines = run.out().split("\n");
        assertThat(lines.length, is(3));
        assertThat(lines[1].split(" +"), is(new String[] {"dice-roll", "POST", "/dice/tables/{table_id}/roll",
                                                          "test.dice.roll", "dice.v1.RollRequest", "dice.v1.RollReply",
                                                          "dice.v1.RollChunk", "5s", "descriptor", "set"}));
        assertThat(lines[2], is("1 routes OK (descriptor sets: [target/test-classes/descriptors/dice.binpb])"));
    }

    @Test
    void anUnreadableDescriptorSetFails() throws IOException {
        Path notASet = Files.writeString(dir.resolve("broken.binpb"), "not a descriptor set");
        Path config = Files.writeString(dir.resolve("with-set.yaml"), "gateway:\n  descriptor-sets: [" + notASet
                                                                      + "]\n  routes:\n" + GOOD);
        Run run = run(config.toString());
        assertThat(run.status(), is(1));
        assertThat(run.err(), containsString("check: descriptor set " + notASet + " cannot be read as a FileDescriptorSet"));
    }

    @Test
    void moreThanOneArgumentIsAUsageError() {
        Run run = invoke(new String[] {"a.yaml", "b.yaml"}, Map.of());
        assertThat(run.status(), is(2));
        assertThat(run.err(), is("usage: java -jar http-nats-gateway.jar check [config.yaml]\n"));
    }

    private String table(String routes) throws IOException {
        return Files.writeString(dir.resolve("routes.yaml"), "gateway:\n  routes:\n" + routes).toString();
    }

    private Run run(String config) {
        return invoke(new String[] {config}, Map.of());
    }

    private static Run invoke(String[] args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RouteCheck.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                                    new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
