package gaming.gateway.route;

import common.v1.Meta;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.Message;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.helidon.config.Config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Message types read at start-up from descriptor set files ({@code gateway.descriptor-sets}, made by
 * {@code protoc --include_imports --descriptor_set_out=FILE}, a serialized
 * {@code google.protobuf.FileDescriptorSet}), so that a route can name types that have no generated
 * class: its messages are then {@link com.google.protobuf.DynamicMessage}s.
 *
 * <p>A file of the set that the gateway has compiled in ({@code common/v1/common.proto}, the
 * well-known types of {@code google/protobuf/}, any contract of {@code proto/}) is taken from the
 * compiled classes, so that {@code meta} and {@code error} fields have the gateway's own
 * {@code Meta} and {@code Error} types; {@code common/v1/common.proto} and the well-known types
 * need not be in the set at all.
 */
public final class DescriptorSets {
    private final List<Path> paths;
    private final List<FileDescriptorProto> files;
    private final Map<String, Descriptor> messages;

    private DescriptorSets(List<Path> paths, List<FileDescriptorProto> files, Map<String, Descriptor> messages) {
        this.paths = List.copyOf(paths);
        this.files = List.copyOf(files);
        this.messages = Map.copyOf(messages);
    }

    /** No descriptor set: only compiled-in types. */
    public static DescriptorSets none() {
        return new DescriptorSets(List.of(), List.of(), Map.of());
    }

    /**
     * The sets listed by {@code gateway.descriptor-sets}: a list of file paths, or one string of
     * comma-separated paths (environment variable {@code DESCRIPTOR_SETS}).
     *
     * @throws RouteConfigException when a file cannot be read, is not a descriptor set, or lacks an import
     */
    static DescriptorSets create(Config gateway) {
        Config node = gateway.get("descriptor-sets");
        List<String> names = node.isList()
                ? node.asList(String.class).orElse(List.of())
                : node.asString().map(s -> Arrays.asList(s.split(","))).orElse(List.of());
        List<Path> paths = names.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
        return paths.isEmpty() ? none() : load(paths);
    }

    /**
     * Reads and links the descriptor set files {@code paths}.
     *
     * @throws RouteConfigException when a file cannot be read, is not a descriptor set, or lacks an import
     */
    public static DescriptorSets load(List<Path> paths) {
        Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
        Map<String, Path> source = new HashMap<>();
        for (Path path : paths) {
            FileDescriptorSet set;
            try (InputStream in = Files.newInputStream(path)) {
                set = FileDescriptorSet.parseFrom(in);
            } catch (IOException e) {
                throw new RouteConfigException("descriptor set " + path + " cannot be read as a FileDescriptorSet: "
                                                       + e.getMessage());
            }
            for (FileDescriptorProto file : set.getFileList()) {
                byName.putIfAbsent(file.getName(), file);
                source.putIfAbsent(file.getName(), path);
            }
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        Map<String, Descriptor> messages = new HashMap<>();
        for (FileDescriptorProto file : byName.values()) {
            FileDescriptor descriptor = build(file.getName(), byName, source, built, new ArrayList<>());
            for (Descriptor type : descriptor.getMessageTypes()) {
                addAll(type, messages);
            }
        }
        return new DescriptorSets(paths, new ArrayList<>(byName.values()), messages);
    }

    /** The descriptor set files read, in configuration order. */
    public List<Path> paths() {
        return paths;
    }

    /** The files of the sets as read, with their source info (comments) when protoc kept it. */
    public List<FileDescriptorProto> files() {
        return files;
    }

    /** The message type named {@code fullName} in the sets, or null. */
    Descriptor find(String fullName) {
        return messages.get(fullName);
    }

    private static void addAll(Descriptor type, Map<String, Descriptor> messages) {
        messages.put(type.getFullName(), type);
        for (Descriptor nested : type.getNestedTypes()) {
            addAll(nested, messages);
        }
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName, Map<String, Path> source,
                                        Map<String, FileDescriptor> built, List<String> importing) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = byName.get(name);
        FileDescriptor compiled = compiled(name, proto);
        if (compiled != null) {
            built.put(name, compiled);
            return compiled;
        }
        if (proto == null) {
            throw new RouteConfigException("descriptor set " + source.get(importing.getLast()) + ": " + importing.getLast()
                                                   + " imports " + name + ", which is not in any descriptor set"
                                                   + " (build it with protoc --include_imports)");
        }
        if (importing.contains(name)) {
            throw new RouteConfigException("descriptor set " + source.get(name) + ": import cycle through " + name);
        }
        importing.add(name);
        FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < dependencies.length; i++) {
            dependencies[i] = build(proto.getDependency(i), byName, source, built, importing);
        }
        importing.removeLast();
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new RouteConfigException("descriptor set " + source.get(name) + ": " + name + " is invalid: "
                                                   + e.getMessage());
        }
    }

    /** The compiled-in file named {@code name}, when the gateway has it. */
    private static FileDescriptor compiled(String name, FileDescriptorProto proto) {
        FileDescriptor wellKnown = WellKnown.FILES.get(name);
        if (wellKnown != null || proto == null || proto.getMessageTypeCount() == 0) {
            return wellKnown;
        }
        String pkg = proto.getPackage();
        String first = (pkg.isEmpty() ? "" : pkg + ".") + proto.getMessageType(0).getName();
        Message message = MessageTypes.resolve(first);
        return message != null && message.getDescriptorForType().getFile().getName().equals(name)
                ? message.getDescriptorForType().getFile()
                : null;
    }

    /**
     * The files every route may import without the set holding them: the well-known types and
     * {@code common/v1/common.proto}; loaded only when a descriptor set is configured.
     */
    private static final class WellKnown {
        static final Map<String, FileDescriptor> FILES = files();

        private WellKnown() {
        }

        private static Map<String, FileDescriptor> files() {
            Map<String, FileDescriptor> files = new HashMap<>();
            for (FileDescriptor file : List.of(AnyProto.getDescriptor(), DurationProto.getDescriptor(),
                                               EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(),
                                               StructProto.getDescriptor(), TimestampProto.getDescriptor(),
                                               WrappersProto.getDescriptor(),
                                               com.google.protobuf.DescriptorProtos.getDescriptor(),
                                               Meta.getDescriptor().getFile())) {
                files.put(file.getName(), file);
            }
            return Map.copyOf(files);
        }
    }
}
