package gaming.gateway.route;

import common.v1.Error;
import common.v1.Meta;
import gaming.gateway.error.StatusTable;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.helidon.config.Config;
import io.helidon.config.ConfigMappingException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table from the {@code gateway.routes} list of {@code application.yaml}, validated at
 * start-up: a message type that does not resolve, a duplicate path or name, a path parameter with
 * no field, an invalid subject or status fails with a {@link RouteConfigException} naming the route.
 */
public final class RouteTable {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** An HTTP field name: a token (RFC 9110 section 5.6.2). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Response headers a service may not set through {@code reply-headers}, lower case. */
    private static final Set<String> GATEWAY_OWNED_HEADERS = Set.of(
            "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length",
            "content-type", "content-encoding", "vary", "date", "server", "http-status", "x-trace-id",
            "traceparent", "tracestate", "www-authenticate", "allow");
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");

    private final List<Route> routes;
    private final DescriptorSets descriptorSets;

    private RouteTable(List<Route> routes, DescriptorSets descriptorSets) {
        this.routes = List.copyOf(routes);
        this.descriptorSets = descriptorSets;
    }

    /**
     * Loads the table from the {@code gateway} config node.
     *
     * @param gateway        the {@code gateway} node (holds {@code routes})
     * @param defaultTimeout timeout of routes that set none
     */
    public static RouteTable create(Config gateway, Duration defaultTimeout) {
        Duration defaultIdleTimeout = Duration.ofSeconds(gateway.get("stream.idle-timeout-seconds").asLong().orElse(30L));
        boolean rejectUnknown = gateway.get("reject-unknown-fields").asBoolean().orElse(false);
        List<Config> entries = gateway.get("routes").asNodeList().orElse(List.of());
        if (entries.isEmpty()) {
            throw new RouteConfigException("gateway.routes is empty: no route to serve");
        }
        DescriptorSets sets = DescriptorSets.create(gateway);
        List<Route> routes = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Config entry : entries) {
            Route route;
            try {
                route = route(entry, sets, defaultTimeout, defaultIdleTimeout, rejectUnknown);
            } catch (ConfigMappingException e) {
                String label = entry.get("name").asString().orElse(entry.get("path").asString().orElse("#" + entry.name()));
                throw RouteConfigException.forRoute(label, "wrong type of value: " + e.getMessage());
            }
            if (!names.add(route.name())) {
                throw RouteConfigException.forRoute(route.name(), "duplicate route name");
            }
            if (!paths.add(PATH_PARAM.matcher(route.path()).replaceAll("{}"))) {
                throw RouteConfigException.forRoute(route.name(), "duplicate path " + route.path());
            }
            for (Route earlier : routes) {
                if (PathOverlap.overlaps(earlier.path(), route.path())) {
                    throw RouteConfigException.forRoute(route.name(), "path " + route.path() + " overlaps "
                            + earlier.path() + " of route " + earlier.name() + ": one request path matches both");
                }
            }
            routes.add(route);
        }
        return new RouteTable(routes, sets);
    }

    /** The descriptor sets the table's types may come from ({@code gateway.descriptor-sets}). */
    public DescriptorSets descriptorSets() {
        return descriptorSets;
    }

    /** The routes in table order. */
    public List<Route> routes() {
        return routes;
    }

    /** How many routes the table has. */
    public int size() {
        return routes.size();
    }

    private static Route route(Config entry, DescriptorSets sets, Duration defaultTimeout, Duration defaultIdleTimeout,
                               boolean rejectUnknownDefault) {
        String path = required(entry, "path", "#" + entry.name());
        String name = entry.get("name").asString().orElse(path);
        String label = name.equals(path) ? path : name + " (" + path + ")";
        if (!path.startsWith("/") || path.contains("//") || path.contains(" ")) {
            throw RouteConfigException.forRoute(label, "path must start with / and contain no spaces or //");
        }
        String subject = required(entry, "subject", label);
        if (!SUBJECT.matcher(subject).matches()) {
            throw RouteConfigException.forRoute(label, "subject '" + subject + "' is not a valid NATS subject without wildcards");
        }
        Message request = type(entry, "request", label, sets);
        Message reply = type(entry, "reply", label, sets);
        requireMessageField(request.getDescriptorForType(), "meta", Meta.getDescriptor(), label);
        requireMessageField(reply.getDescriptorForType(), "meta", Meta.getDescriptor(), label);
        requireMessageField(reply.getDescriptorForType(), "error", Error.getDescriptor(), label);

        long timeoutSeconds = entry.get("timeout-seconds").asLong().orElse(defaultTimeout.toSeconds());
        Duration timeout = entry.get("timeout-millis").asLong().map(Duration::ofMillis)
                .orElse(Duration.ofSeconds(timeoutSeconds));
        if (timeout.isNegative() || timeout.isZero()) {
            throw RouteConfigException.forRoute(label, "timeout must be > 0");
        }
        Optional<StreamSpec> stream = entry.get("stream").exists()
                ? Optional.of(streamSpec(entry, request.getDescriptorForType(), defaultIdleTimeout, label, sets))
                : Optional.empty();
        return new Route(name, path, subject, request, reply, stream, timeout,
                         pathParams(entry, path, request.getDescriptorForType(), label),
                         statusTable(entry, label),
                         entry.get("reject-unknown-fields").asBoolean().orElse(rejectUnknownDefault),
                         maxInFlight(entry, label),
                         idempotency(entry, label), replyHeaders(entry, label));
    }

    private static IdempotencyPolicy idempotency(Config entry, String label) {
        try {
            return IdempotencyPolicy.create(entry);
        } catch (IllegalArgumentException e) {
            throw RouteConfigException.forRoute(label, e.getMessage());
        }
    }

    /**
     * The {@code reply-headers} list: HTTP field names (RFC 9110 section 5.1 tokens) a service may
     * set on this route besides the standard ones. Headers the gateway owns (framing, content
     * type and coding, trace context, {@code Nats-*}) may not be named.
     */
    private static List<String> replyHeaders(Config entry, String label) {
        List<String> names = entry.get("reply-headers").asList(String.class).orElse(List.of());
        for (String name : names) {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw RouteConfigException.forRoute(label, "reply-headers: '" + name + "' is not an HTTP header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (GATEWAY_OWNED_HEADERS.contains(lower) || lower.startsWith("nats-") || lower.startsWith("proxy-")) {
                throw RouteConfigException.forRoute(label, "reply-headers: " + name + " is set by the gateway only");
            }
        }
        return List.copyOf(names);
    }

    private static int maxInFlight(Config entry, String label) {
        int max = entry.get("max-in-flight").asInt().orElse(0);
        if (max < 0) {
            throw RouteConfigException.forRoute(label, "max-in-flight must be >= 0");
        }
        return max;
    }

    private static StreamSpec streamSpec(Config entry, Descriptor request, Duration defaultIdle, String label,
                                         DescriptorSets sets) {
        Message chunk = type(entry, "stream", label, sets);
        requireMessageField(chunk.getDescriptorForType(), "error", Error.getDescriptor(), label);
        FieldDescriptor isFinal = chunk.getDescriptorForType().findFieldByName("is_final");
        if (isFinal == null || isFinal.isRepeated() || isFinal.getJavaType() != FieldDescriptor.JavaType.BOOLEAN) {
            throw RouteConfigException.forRoute(label, chunk.getDescriptorForType().getFullName()
                    + " needs a bool field 'is_final' that ends the stream");
        }
        String flagPath = entry.get("stream-flag").asString().orElse("");
        List<FieldDescriptor> flag = new ArrayList<>();
        Descriptor type = request;
        for (String part : flagPath.isEmpty() ? new String[0] : flagPath.split("\\.")) {
            FieldDescriptor field = type == null ? null : type.findFieldByName(part);
            if (field == null || field.isRepeated()) {
                throw RouteConfigException.forRoute(label, "stream-flag " + flagPath + " is not a field of " + request.getFullName());
            }
            flag.add(field);
            type = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        }
        if (!flag.isEmpty() && flag.getLast().getJavaType() != FieldDescriptor.JavaType.BOOLEAN) {
            throw RouteConfigException.forRoute(label, "stream-flag " + flagPath + " must be a bool field");
        }
        Duration idle = Duration.ofSeconds(entry.get("stream-idle-timeout-seconds").asLong().orElse(defaultIdle.toSeconds()));
        if (idle.isNegative() || idle.isZero()) {
            throw RouteConfigException.forRoute(label, "stream-idle-timeout-seconds must be > 0");
        }
        Optional<String> cancelSubject = entry.get("cancel-subject").asString().asOptional();
        Optional<Message> cancelRequest = entry.get("cancel-request").asString().asOptional()
                .map(t -> resolve(t, "cancel-request", label, sets));
        if (cancelSubject.isPresent() != cancelRequest.isPresent()) {
            throw RouteConfigException.forRoute(label, "cancel-subject and cancel-request go together");
        }
        if (cancelSubject.isPresent()) {
            if (!SUBJECT.matcher(cancelSubject.get()).matches()) {
                throw RouteConfigException.forRoute(label, "cancel-subject '" + cancelSubject.get() + "' is not a valid NATS subject");
            }
            requireStringField(chunk.getDescriptorForType(), "generation_id", label);
            requireStringField(cancelRequest.get().getDescriptorForType(), "generation_id", label);
            requireMessageField(cancelRequest.get().getDescriptorForType(), "meta", Meta.getDescriptor(), label);
        }
        return new StreamSpec(chunk, List.copyOf(flag), idle, cancelSubject, cancelRequest);
    }

    private static void requireStringField(Descriptor type, String field, String label) {
        FieldDescriptor f = type.findFieldByName(field);
        if (f == null || f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.STRING) {
            throw RouteConfigException.forRoute(label, type.getFullName() + " needs a string field '" + field + "'");
        }
    }

    private static Map<String, FieldDescriptor> pathParams(Config entry, String path, Descriptor request, String label) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Config node : entry.get("path-params").asNodeList().orElse(List.of())) {
            mapping.put(node.name(), node.asString().orElse(""));
        }
        Map<String, FieldDescriptor> params = new LinkedHashMap<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            String param = m.group(1);
            String fieldName = mapping.getOrDefault(param, param);
            FieldDescriptor field = request.findFieldByName(fieldName);
            if (field == null) {
                throw RouteConfigException.forRoute(label, "path parameter {" + param + "} has no field '" + fieldName
                        + "' in " + request.getFullName() + " (set path-params)");
            }
            if (field.getJavaType() != FieldDescriptor.JavaType.STRING || field.isRepeated()) {
                throw RouteConfigException.forRoute(label, "field " + fieldName + " for {" + param + "} must be a single string");
            }
            params.put(param, field);
        }
        for (String param : mapping.keySet()) {
            if (!params.containsKey(param)) {
                throw RouteConfigException.forRoute(label, "path-params names {" + param + "}, which is not in the path");
            }
        }
        return Map.copyOf(params);
    }

    private static StatusTable statusTable(Config entry, String label) {
        Map<Error.Code, Integer> overrides = new EnumMap<>(Error.Code.class);
        for (Config node : entry.get("status-overrides").asNodeList().orElse(List.of())) {
            Error.Code code;
            try {
                code = Error.Code.valueOf(node.name());
            } catch (IllegalArgumentException e) {
                code = Error.Code.UNRECOGNIZED;
            }
            if (code == Error.Code.UNRECOGNIZED || code == Error.Code.UNSPECIFIED) {
                throw RouteConfigException.forRoute(label, "status-overrides: unknown error code " + node.name());
            }
            int status = node.asInt().orElse(-1);
            if (status < 100 || status > 599) {
                throw RouteConfigException.forRoute(label, "status-overrides: " + node.name() + " needs a status 100..599");
            }
            overrides.put(code, status);
        }
        return StatusTable.withOverrides(overrides);
    }

    private static String required(Config entry, String key, String label) {
        return entry.get(key).asString().filter(s -> !s.isBlank())
                .orElseThrow(() -> RouteConfigException.forRoute(label, "'" + key + "' is missing"));
    }

    private static Message type(Config entry, String key, String label, DescriptorSets sets) {
        return resolve(required(entry, key, label), key, label, sets);
    }

    /** The generated message named {@code typeName}, else a {@link DynamicMessage} of a descriptor set's type. */
    private static Message resolve(String typeName, String key, String label, DescriptorSets sets) {
        Message message = MessageTypes.resolve(typeName);
        if (message != null) {
            return message;
        }
        Descriptor type = sets.find(typeName);
        if (type == null) {
            throw RouteConfigException.forRoute(label, key + " type '" + typeName
                    + "' does not resolve to a generated Protobuf message or a type of gateway.descriptor-sets");
        }
        return DynamicMessage.getDefaultInstance(type);
    }

    private static void requireMessageField(Descriptor type, String field, Descriptor fieldType, String label) {
        FieldDescriptor f = type.findFieldByName(field);
        if (f == null || f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                || !f.getMessageType().getFullName().equals(fieldType.getFullName())) {
            throw RouteConfigException.forRoute(label, type.getFullName() + " needs a field '" + field + "' of type "
                    + fieldType.getFullName());
        }
    }
}
