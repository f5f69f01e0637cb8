package gaming.gateway.tracing;

import gaming.gateway.transcode.TraceContext;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.trace.ReadableSpan;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TracingTest {
    private static final UnaryOperator<String> NONE = key -> null;
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** Spans exported to a port where nothing listens: refused at once, not retried. */
    private static final Map<String, String> ON = Map.of(Tracing.ENDPOINT, "http://127.0.0.1:1",
                                                         "otel.java.exporter.otlp.retry.disabled", "true");

    @Test
    void offWithoutAnEndpoint() {
        Tracing tracing = Tracing.create(Map.of("otel.service.name", "x"), NONE, NONE);
        assertThat(tracing, sameInstance(Tracing.OFF));
        assertThat(tracing.enabled(), is(false));
        assertThat(tracing.startServer("POST", "/a", "/a", null, null, null), is(nullValue()));
        assertThat(tracing.startNats("request", "svc.a", 0), sameInstance(NatsSpan.NONE));
        assertThat(NatsSpan.NONE.traceparent(), is(nullValue()));
        assertThat(tracing.droppedSpans(), is(0L));
    }

    @Test
    void onWhenEitherEndpointIsSetAnywhereUnlessTheSdkIsDisabled() {
        assertThat(Tracing.enabled(Map.of(), env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), NONE), is(true));
        assertThat(Tracing.enabled(Map.of(), env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"), NONE),
                   is(true));
        assertThat(Tracing.enabled(Map.of(), NONE, env(Tracing.ENDPOINT, "http://c:4318")), is(true));
        assertThat(Tracing.enabled(Map.of(Tracing.TRACES_ENDPOINT, "http://c:4318/v1/traces"), NONE, NONE), is(true));
        assertThat(Tracing.enabled(Map.of(), env("OTEL_EXPORTER_OTLP_ENDPOINT", "  "), NONE), is(false));
        assertThat(Tracing.enabled(Map.of(Tracing.ENDPOINT, "http://c:4318", "otel.sdk.disabled", "true"), NONE, NONE),
                   is(false));
        assertThat(Tracing.enabled(Map.of(Tracing.ENDPOINT, "http://c:4318"), env("OTEL_SDK_DISABLED", "TRUE"), NONE),
                   is(false));
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentWhichWinsOverConfig() {
        Map<String, String> config = Map.of(Tracing.PROTOCOL, "config");
        assertThat(Tracing.property(Tracing.PROTOCOL, config, NONE, NONE), is("config"));
        assertThat(Tracing.property(Tracing.PROTOCOL, config, env("OTEL_EXPORTER_OTLP_PROTOCOL", "env"), NONE),
                   is("env"));
        assertThat(Tracing.property(Tracing.PROTOCOL, config, env("OTEL_EXPORTER_OTLP_PROTOCOL", "env"),
                                    env(Tracing.PROTOCOL, "prop")), is("prop"));
        assertThat(Tracing.envName("otel.bsp.max.queue.size"), is("OTEL_BSP_MAX_QUEUE_SIZE"));
    }

    @Test
    void bothOtlpProtocolsBuildAnSdk() {
        for (String protocol : new String[] {"grpc", "http/protobuf"}) {
            Map<String, String> config = new HashMap<>(ON);
            config.put(Tracing.PROTOCOL, protocol);
            try (Tracing tracing = Tracing.create(config, NONE, NONE)) {
                assertThat(protocol, tracing.enabled(), is(true));
            }
        }
    }

    @Test
    void httpIsSentByTheJdkSenderAndGrpcByOkHttp() {
        ComponentLoader senders = Senders.create();
        assertThat(names(senders.load(HttpSenderProvider.class)),
                   is(List.of("io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider")));
        assertThat(names(senders.load(GrpcSenderProvider.class)),
                   is(List.of("io.opentelemetry.exporter.sender.okhttp.internal.OkHttpGrpcSenderProvider")));
        // without Senders, OkHttp's HTTP sender would be there too
        assertThat(names(ComponentLoader.forClassLoader(getClass().getClassLoader()).load(HttpSenderProvider.class)),
                   hasItem(Senders.OKHTTP_HTTP_SENDER));
    }

    private static List<String> names(Iterable<?> providers) {
        List<String> names = new ArrayList<>();
        providers.forEach(p -> names.add(p.getClass().getName()));
        return names;
    }

    @Test
    void aProtocolTheSdkDoesNotKnowFailsWithOneLineNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tracing.create(
                Map.of(Tracing.ENDPOINT, "http://127.0.0.1:1", Tracing.PROTOCOL, "http/json"), NONE, NONE));
        assertThat(e.getMessage(), is("tracing: the OpenTelemetry SDK refused its configuration:"
                                      + " Unsupported OTLP traces protocol: http/json"));
    }

    @Test
    void aConfigurationTheSdkRefusesFailsWithItsReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tracing.create(
                Map.of(Tracing.ENDPOINT, "http://127.0.0.1:1", "otel.traces.sampler", "sometimes"), NONE, NONE));
        assertThat(e.getMessage(), containsString("sometimes"));
    }

    /**
     * A value the SDK refuses at start-up for each of {@link Tracing#ENV_NAMES} but the two below:
     * a name it did not read would build an SDK instead.
     */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318/v1/traces"),
            Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"),
            Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "authorization"),
            Map.entry("OTEL_EXPORTER_OTLP_TIMEOUT", "soon"),
            Map.entry("OTEL_EXPORTER_OTLP_COMPRESSION", "zip"),
            Map.entry("OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem"),
            Map.entry("OTEL_RESOURCE_ATTRIBUTES", "region"),
            Map.entry("OTEL_TRACES_SAMPLER", "sometimes"),
            Map.entry("OTEL_TRACES_SAMPLER_ARG", "often"),
            Map.entry("OTEL_BSP_MAX_QUEUE_SIZE", "many"),
            Map.entry("OTEL_BSP_SCHEDULE_DELAY", "soon"),
            Map.entry("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "many"),
            Map.entry("OTEL_BSP_EXPORT_TIMEOUT", "soon"));

    /** The deployment files are checked against {@link Tracing#ENV_NAMES}: the SDK must read each one. */
    @Test
    void theSdkReadsEveryDocumentedVariable() {
        TreeSet<String> covered = new TreeSet<>(REFUSED.keySet());
        covered.add("OTEL_SERVICE_NAME");
        covered.add("OTEL_SDK_DISABLED");
        assertThat(covered, is(new TreeSet<>(Tracing.ENV_NAMES)));

        // a ratio sampler, so that the SDK reads OTEL_TRACES_SAMPLER_ARG
        Map<String, String> base = new HashMap<>(ON);
        base.put("otel.traces.sampler", "traceidratio");
        try (Tracing tracing = Tracing.create(base, NONE, NONE)) {
            assertThat(tracing.enabled(), is(true));
        }
        REFUSED.forEach((name, value) -> {
            Map<String, String> config = new HashMap<>(base);
            config.put(key(name), value);
            assertThrows(IllegalStateException.class, () -> Tracing.create(config, NONE, NONE), name + "=" + value);
        });

        Map<String, String> named = new HashMap<>(ON);
        named.put(key("OTEL_SERVICE_NAME"), "gateway-eu1");
        try (Tracing tracing = Tracing.create(named, NONE, NONE)) {
            ServerSpan span = tracing.startServer("POST", "/a", "/a", null, null, null);
            try {
                assertThat(((ReadableSpan) Span.current()).toSpanData().getResource()
                                   .getAttribute(AttributeKey.stringKey("service.name")), is("gateway-eu1"));
            } finally {
                span.end(200);
            }
        }
        assertThat(Tracing.enabled(ON, env("OTEL_SDK_DISABLED", "true"), NONE), is(false));
    }

    /** The property the SDK reads a variable as: {@code OTEL_TRACES_SAMPLER} is {@code otel.traces.sampler}. */
    private static String key(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    @Test
    void theServerSpanIsCurrentAndItsTraceparentIsPassedOn() {
        try (Tracing tracing = Tracing.create(ON, NONE, NONE)) {
            assertThat(tracing.enabled(), is(true));
            String parent = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
            ServerSpan span = tracing.startServer("POST", "/a/{id}", "/a/1", parent, "k=v", null);
            String current = Spans.currentTraceparent();
            try {
                assertThat(current, matchesPattern("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
                assertThat(current, not(parent));
                WritableHeaders<?> headers = WritableHeaders.create();
                headers.set(HeaderNames.create("traceparent"), parent);
                headers.set(HeaderNames.create("tracestate"), "k=v");
                TraceContext.Trace trace = TraceContext.of(headers);
                assertThat(trace.traceId(), is(TRACE_ID));
                assertThat(trace.traceparent(), is(current));
                assertThat(trace.tracestate(), is("k=v"));

                NatsSpan nats = tracing.startNats("request", "svc.a", 3);
                assertThat(nats.traceparent(), matchesPattern("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
                assertThat(nats.traceparent(), not(current));
                nats.end();
            } finally {
                span.end(200);
            }
            assertThat(Spans.currentTraceparent(), is(nullValue()));
        }
    }

    @Test
    void anXTraceIdOf32HexStartsTheTraceWithThatIdAndAnyOtherIsNotUsed() {
        try (Tracing tracing = Tracing.create(ON, NONE, NONE)) {
            ServerSpan span = tracing.startServer("POST", "/a", "/a", null, null, TRACE_ID);
            try {
                assertThat(Spans.currentTraceparent(), matchesPattern("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
            } finally {
                span.end(200);
            }
            span = tracing.startServer("POST", "/a", "/a", null, null, "order-42");
            try {
                assertThat(Spans.currentTraceparent(), matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
                assertThat(Spans.currentTraceparent(), not(containsString(TRACE_ID)));
                // Meta.trace_id stays the client's
                WritableHeaders<?> headers = WritableHeaders.create();
                headers.set(TraceContext.X_TRACE_ID, "order-42");
                assertThat(TraceContext.of(headers).traceId(), is("order-42"));
                assertThat(TraceContext.of(headers).traceparent(), is(Spans.currentTraceparent()));
            } finally {
                span.end(200);
            }
        }
    }

    @Test
    void configKeysAreReadNestedOrDotted() {
        Config config = Config.just(ConfigSources.create("""
                gateway:
                  tracing:
                    otel.exporter.otlp.endpoint: http://collector:4318
                    otel:
                      bsp:
                        max:
                          queue:
                            size: 8192
                """, MediaTypes.APPLICATION_X_YAML));
        assertThat(Tracing.properties(config.get("gateway.tracing")),
                   is(Map.of(Tracing.ENDPOINT, "http://collector:4318", "otel.bsp.max.queue.size", "8192")));
        assertThat(Tracing.properties(config.get("gateway.nothing")), is(Map.of()));
    }

    private static UnaryOperator<String> env(String name, String value) {
        return key -> key.equals(name) ? value : null;
    }
}
