package gaming.gateway.openapi;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The comments of {@code .proto} files, by the full name of what they describe: a message
 * ({@code ai.llm.v1.InferRequest}), a field ({@code ai.llm.v1.InferRequest.model_id}), an enum or
 * an enum value. They come from the source info that {@code protoc --include_source_info} keeps in
 * a descriptor set: the build writes one for the compiled-in contracts
 * ({@value #BUNDLED}), and descriptor-set routes bring their own.
 */
final class ProtoComments {
    /** Classpath resource: the descriptor set of {@code proto/}, with source info. */
    static final String BUNDLED = "gateway/descriptors.binpb";

    // field numbers in descriptor.proto, the elements of a SourceCodeInfo.Location path
    private static final int FILE_MESSAGE = 4;
    private static final int FILE_ENUM = 5;
    private static final int MESSAGE_FIELD = 2;
    private static final int MESSAGE_NESTED = 3;
    private static final int MESSAGE_ENUM = 4;
    private static final int ENUM_VALUE = 2;

    private final Map<String, String> comments;

    private ProtoComments(Map<String, String> comments) {
        this.comments = Map.copyOf(comments);
    }

    /** The comments of the bundled contracts, then of {@code extra} (earlier wins for a name in both). */
    static ProtoComments load(List<FileDescriptorProto> extra) {
        Map<String, String> comments = new HashMap<>();
        try (InputStream in = ProtoComments.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in != null) {
                for (FileDescriptorProto file : FileDescriptorSet.parseFrom(in).getFileList()) {
                    add(file, comments);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUNDLED, e);
        }
        for (FileDescriptorProto file : extra) {
            add(file, comments);
        }
        return new ProtoComments(comments);
    }

    /** The comment on {@code fullName}, or null. */
    String get(String fullName) {
        return comments.get(fullName);
    }

    private static void add(FileDescriptorProto file, Map<String, String> comments) {
        String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
        for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
            String text = text(location);
            if (text == null) {
                continue;
            }
            String name = name(file, prefix, location.getPathList());
            if (name != null) {
                comments.putIfAbsent(name, text);
            }
        }
    }

    /** The full name of the element at {@code path} (a location path), or null for other elements. */
    private static String name(FileDescriptorProto file, String prefix, List<Integer> path) {
        if (path.size() < 2) {
            return null;
        }
        int kind = path.get(0);
        if (kind == FILE_ENUM) {
            EnumDescriptorProto type = file.getEnumType(path.get(1));
            return enumElement(prefix + type.getName(), type, path, 2);
        }
        if (kind != FILE_MESSAGE) {
            return null;
        }
        DescriptorProto message = file.getMessageType(path.get(1));
        String name = prefix + message.getName();
        int at = 2;
        while (at + 1 < path.size()) {
            int element = path.get(at);
            int index = path.get(at + 1);
            switch (element) {
                case MESSAGE_NESTED -> {
                    message = message.getNestedType(index);
                    name = name + "." + message.getName();
                }
                case MESSAGE_FIELD -> {
                    return at + 2 == path.size() ? name + "." + message.getField(index).getName() : null;
                }
                case MESSAGE_ENUM -> {
                    EnumDescriptorProto type = message.getEnumType(index);
                    return enumElement(name + "." + type.getName(), type, path, at + 2);
                }
                default -> {
                    return null;
                }
            }
            at += 2;
        }
        return at == path.size() ? name : null;
    }

    private static String enumElement(String name, EnumDescriptorProto type, List<Integer> path, int at) {
        if (at == path.size()) {
            return name;
        }
        if (at + 2 == path.size() && path.get(at) == ENUM_VALUE) {
            return name + "." + type.getValue(path.get(at + 1)).getName();
        }
        return null;
    }

    private static String text(SourceCodeInfo.Location location) {
        String leading = location.getLeadingComments().strip();
        String trailing = location.getTrailingComments().strip();
        String text = leading.isEmpty() ? trailing : trailing.isEmpty() ? leading : leading + "\n" + trailing;
        if (text.isEmpty()) {
            return null;
        }
        return text.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse(text);
    }
}
