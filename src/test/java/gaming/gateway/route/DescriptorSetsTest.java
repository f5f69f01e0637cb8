package gaming.gateway.route;

import common.v1.Meta;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Descriptor set files: linking to the compiled-in files, and the errors of a set that does not link. */
class DescriptorSetsTest {
    private static final Path DICE = Path.of("target/test-classes/descriptors/dice.binpb");

    @TempDir
    Path dir;

    @Test
    void aSetWithItsImportsResolvesItsTypesAndUsesTheCompiledMeta() {
        DescriptorSets sets = DescriptorSets.load(List.of(DICE));
        Descriptor request = sets.find("dice.v1.RollRequest");
        assertThat(request.findFieldByName("table_id").getName(), is("table_id"));
        assertThat(request.findFieldByName("meta").getMessageType(), sameInstance(Meta.getDescriptor()));
        assertThat(sets.find("dice.v1.Nope"), nullValue());
        assertThat(sets.paths(), is(List.of(DICE)));
    }

    @Test
    void commonAndWellKnownImportsNeedNotBeInTheSet() throws IOException {
        Path only = write("only-dice.binpb", dice());
        Descriptor reply = DescriptorSets.load(List.of(only)).find("dice.v1.RollReply");
        assertThat(reply.findFieldByName("error").getMessageType(), sameInstance(common.v1.Error.getDescriptor()));
        assertThat(reply.findFieldByName("rolled_at").getMessageType().getFullName(), is("google.protobuf.Timestamp"));
    }

    @Test
    void anImportMissingFromTheSetIsNamed() throws IOException {
        Path broken = write("broken.binpb", dice().toBuilder().addDependency("other/v1/other.proto").build());
        RouteConfigException e = assertThrows(RouteConfigException.class, () -> DescriptorSets.load(List.of(broken)));
        assertThat(e.getMessage(), is("descriptor set " + broken + ": dice/v1/dice.proto imports other/v1/other.proto,"
                                      + " which is not in any descriptor set (build it with protoc --include_imports)"));
    }

    @Test
    void aFileThatIsNotADescriptorSetIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("text.binpb"), "hello");
        RouteConfigException e = assertThrows(RouteConfigException.class, () -> DescriptorSets.load(List.of(text)));
        assertThat(e.getMessage().startsWith("descriptor set " + text + " cannot be read as a FileDescriptorSet: "),
                   is(true));
    }

    private static FileDescriptorProto dice() throws IOException {
        return FileDescriptorSet.parseFrom(Files.readAllBytes(DICE)).getFileList().stream()
                .filter(f -> f.getName().equals("dice/v1/dice.proto")).findFirst().orElseThrow();
    }

    private Path write(String name, FileDescriptorProto file) throws IOException {
        return Files.write(dir.resolve(name), FileDescriptorSet.newBuilder().addFile(file).build().toByteArray());
    }
}
