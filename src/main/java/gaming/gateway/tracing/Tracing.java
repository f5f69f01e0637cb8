package gaming.gateway.tracing;

import io.helidon.config.Config;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The gateway's OpenTelemetry tracing: a server span per route request ({@link #startServer}) and
 * a client span per NATS request or stream ({@link #startNats}), exported over OTLP by the SDK's
 * batch span processor, configured by the standard {@code OTEL_*} environment variables and
 * {@code otel.*} system properties (the SDK's autoconfigure, see
 * <a href="https://opentelemetry.io/docs/languages/java/configuration/">its configuration</a>),
 * above the keys of the {@code gateway.tracing} config node (e.g.
 * {@code gateway.tracing.otel.exporter.otlp.endpoint}), above the gateway's defaults.
 *
 * <p>On only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
 * (or their property or config key) is set and {@code OTEL_SDK_DISABLED} is not {@code true}; else
 * {@link #OFF}: no SDK is built and nothing is recorded.
 *
 * <p>Both OTLP protocols are sent ({@link Senders}): {@code http/protobuf}, the
 * gateway's default and the OTLP specification's (collector port 4318, spans POSTed to
 * {@code <endpoint>/v1/traces}), and {@code grpc} (port 4317); any other
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL} fails at start-up with the SDK's reason.
 *
 * <p>The gateway's defaults differ from the SDK's in three ways: the protocol is
 * {@code http/protobuf} (the SDK's is {@code grpc}), metrics and logs are not exported
 * ({@code OTEL_METRICS_EXPORTER}/{@code OTEL_LOGS_EXPORTER} {@code none}), and
 * {@code service.name} is {@code http-nats-gateway} unless {@code OTEL_SERVICE_NAME} or
 * {@code OTEL_RESOURCE_ATTRIBUTES} name one.
 *
 * <p>Exporting never blocks a request: ended spans go to a bounded queue
 * ({@code OTEL_BSP_MAX_QUEUE_SIZE}, 2048) that a background thread exports in batches; when it is
 * full the span is dropped and counted ({@link #droppedSpans()}).
 */
public final class Tracing implements AutoCloseable {
    /** Tracing off: no SDK, no spans. */
    public static final Tracing OFF = new Tracing(null, null, null);

    /** The service name when none is configured. */
    public static final String SERVICE_NAME = "http-nats-gateway";
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    static final String PROTOCOL = "otel.exporter.otlp.protocol";
    static final String TRACES_PROTOCOL = "otel.exporter.otlp.traces.protocol";
    static final Map<String, String> DEFAULTS = Map.of(
            PROTOCOL, "http/protobuf",
            "otel.traces.exporter", "otlp",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    /**
     * The standard {@code OTEL_*} environment variables the gateway documents (README, "Tracing")
     * and the deployment files may set: read by the SDK's autoconfigure at start-up (the endpoints
     * and {@code OTEL_SDK_DISABLED} by {@link #create} too), each also a system property and a
     * {@code gateway.tracing} key: the name in lower case with dots, e.g. {@code otel.traces.sampler}.
     * TracingTest checks that the SDK reads every one of them.
     */
    public static final Set<String> ENV_NAMES = Stream.of(
                    ENDPOINT, TRACES_ENDPOINT, PROTOCOL, TRACES_PROTOCOL,
                    "otel.exporter.otlp.headers", "otel.exporter.otlp.timeout", "otel.exporter.otlp.compression",
                    "otel.exporter.otlp.certificate",
                    "otel.service.name", "otel.resource.attributes",
                    "otel.traces.sampler", "otel.traces.sampler.arg",
                    "otel.bsp.max.queue.size", "otel.bsp.schedule.delay", "otel.bsp.max.export.batch.size",
                    "otel.bsp.export.timeout",
                    "otel.sdk.disabled")
            .map(Tracing::envName)
            .collect(Collectors.toUnmodifiableSet());

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    private static final AttributeKey<String> SERVICE_NAME_KEY = AttributeKey.stringKey("service.name");

    private static final System.Logger LOGGER = System.getLogger(Tracing.class.getName());

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final DroppedSpans dropped;

    private Tracing(OpenTelemetrySdk sdk, Tracer tracer, DroppedSpans dropped) {
        this.sdk = sdk;
        this.tracer = tracer;
        this.dropped = dropped;
    }

    /**
     * Tracing as the environment, the system properties and {@code node} (the
     * {@code gateway.tracing} config node, keys {@code otel.*}) configure it.
     *
     * @throws IllegalStateException when the SDK refuses the configuration (e.g. an unknown
     *                               sampler or protocol), with its reason on one line
     */
    public static Tracing create(Config node) {
        return create(properties(node), System::getenv, System::getProperty);
    }

    /** The keys below {@code node}, flattened: {@code otel.exporter.otlp.endpoint}, nested or dotted in YAML alike. */
    static Map<String, String> properties(Config node) {
        Map<String, String> configured = new HashMap<>();
        if (node.exists()) {
            node.detach().asMap().ifPresent(map -> map.forEach((key, value) -> configured.put(key.replace("~1", "."), value)));
        }
        return configured;
    }

    static Tracing create(Map<String, String> configured, UnaryOperator<String> env, UnaryOperator<String> props) {
        if (!enabled(configured, env, props)) {
            return OFF;
        }
        Map<String, String> defaults = new HashMap<>(DEFAULTS);
        defaults.putAll(configured);
        DroppedSpans dropped = new DroppedSpans();
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .setComponentLoader(Senders.create())
                    .addPropertiesSupplier(() -> defaults)
                    .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(new RequestedTraceIds()))
                    .addMeterProviderCustomizer((builder, config) -> builder.registerMetricReader(dropped))
                    .addResourceCustomizer((resource, config) -> named(resource))
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("tracing: the OpenTelemetry SDK refused its configuration: "
                    + (root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage()), e);
        }
        Spans.sdkBuilt();
        String protocol = forTraces(TRACES_PROTOCOL, PROTOCOL, configured, env, props);
        LOGGER.log(System.Logger.Level.INFO, "tracing on: spans exported over OTLP ("
                + (protocol == null ? DEFAULTS.get(PROTOCOL) : protocol) + ") to " + endpoint(configured, env, props));
        return new Tracing(sdk, sdk.getTracer("gaming.gateway"), dropped);
    }

    /** Whether an OTLP endpoint is configured and the SDK is not disabled. */
    static boolean enabled(Map<String, String> configured, UnaryOperator<String> env, UnaryOperator<String> props) {
        if ("true".equalsIgnoreCase(property("otel.sdk.disabled", configured, env, props))) {
            return false;
        }
        return endpoint(configured, env, props) != null;
    }

    private static String endpoint(Map<String, String> configured, UnaryOperator<String> env, UnaryOperator<String> props) {
        return forTraces(TRACES_ENDPOINT, ENDPOINT, configured, env, props);
    }

    /** The traces-only key ({@code otel.exporter.otlp.traces.*}) if set, else the general one; null when neither is. */
    private static String forTraces(String tracesKey, String key, Map<String, String> configured,
                                    UnaryOperator<String> env, UnaryOperator<String> props) {
        String traces = property(tracesKey, configured, env, props);
        return traces != null ? traces : property(key, configured, env, props);
    }

    /** A property as autoconfigure reads it: system property, else environment variable, else config; blank is unset. */
    static String property(String key, Map<String, String> configured, UnaryOperator<String> env,
                           UnaryOperator<String> props) {
        for (String value : List.of(nonNull(props.apply(key)), nonNull(env.apply(envName(key))),
                                    nonNull(configured.get(key)))) {
            if (!value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /** {@code otel.exporter.otlp.endpoint} to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Resource named(Resource resource) {
        String name = resource.getAttribute(SERVICE_NAME_KEY);
        if (name == null || name.startsWith("unknown_service")) {
            return resource.merge(Resource.create(Attributes.of(SERVICE_NAME_KEY, SERVICE_NAME)));
        }
        return resource;
    }

    /** Whether spans are recorded and exported. */
    public boolean enabled() {
        return sdk != null;
    }

    /**
     * Starts the server span of a route request and makes it current on this thread; null when off.
     *
     * @param method      the HTTP method, e.g. {@code POST}
     * @param route       the route's path pattern, e.g. {@code /v1/models/{model_id}/generate}
     * @param path        the request's path
     * @param traceparent the client's {@code traceparent} when valid (the span's parent), else null
     * @param tracestate  the client's {@code tracestate} beside it, or null
     * @param traceId     the client's {@code X-Trace-ID}, or null: without a {@code traceparent},
     *                    one of 32 lower-case hex digits (not all zero) becomes the trace id
     */
    public ServerSpan startServer(String method, String route, String path, String traceparent, String tracestate,
                                  String traceId) {
        if (tracer == null) {
            return null;
        }
        SpanBuilder builder = tracer.spanBuilder(method + " " + route)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HTTP_METHOD, method)
                .setAttribute(HTTP_ROUTE, route)
                .setAttribute(URL_PATH, path)
                .setAttribute(URL_SCHEME, "http");
        Span span;
        if (traceparent != null) {
            builder.setParent(W3CTraceContextPropagator.getInstance()
                                      .extract(Context.root(), new String[] {traceparent, tracestate}, CARRIER));
            span = builder.startSpan();
        } else {
            builder.setNoParent();
            span = isTraceId(traceId) ? RequestedTraceIds.startingWith(traceId, builder::startSpan) : builder.startSpan();
        }
        if (traceId != null && !traceId.equals(span.getSpanContext().getTraceId()) && span.isRecording()) {
            span.setAttribute(Spans.CLIENT_TRACE_ID, traceId);
        }
        return new ServerSpan(span);
    }

    /**
     * Starts the client span of a NATS call, a child of the current (server) span; {@link NatsSpan#NONE} when off.
     *
     * @param operation {@code request} (request/reply) or {@code stream} (a streamed reply)
     * @param subject   the subject the request is published on
     * @param bodyBytes the size of the request's Protobuf body
     */
    public NatsSpan startNats(String operation, String subject, int bodyBytes) {
        if (tracer == null) {
            return NatsSpan.NONE;
        }
        return new NatsSpan(tracer.spanBuilder(operation + " " + subject)
                                    .setSpanKind(SpanKind.CLIENT)
                                    .setAttribute(MESSAGING_SYSTEM, "nats")
                                    .setAttribute(DESTINATION, subject)
                                    .setAttribute(OPERATION_NAME, operation)
                                    .setAttribute(OPERATION_TYPE, "send")
                                    .setAttribute(BODY_SIZE, (long) bodyBytes)
                                    .startSpan());
    }

    /** Spans dropped because the export queue was full, since start; 0 when off. */
    public long droppedSpans() {
        return dropped == null ? 0 : dropped.count();
    }

    /** Exports what is queued (waiting at most 5 s) and stops the SDK. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    private static boolean isTraceId(String value) {
        if (value == null || value.length() != 32) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < 32; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    /** {traceparent, tracestate} as a W3C carrier. */
    private static final TextMapGetter<String[]> CARRIER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String[] carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(String[] carrier, String key) {
            return switch (key) {
                case "traceparent" -> carrier[0];
                case "tracestate" -> carrier[1];
                default -> null;
            };
        }
    };
}
