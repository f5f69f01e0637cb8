package gaming.testing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver on a free loopback port: decodes each {@code POST /v1/traces}
 * ({@code application/x-protobuf}) as an {@link ExportTraceServiceRequest} and keeps its spans.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** A received span with the resource it came from. */
    public record Received(Span span, Resource resource) {
        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        /** A string, integer or boolean attribute as a string; null when absent. */
        public String attribute(String key) {
            return value(span.getAttributesList(), key);
        }

        public String resourceAttribute(String key) {
            return value(resource.getAttributesList(), key);
        }

        private static String value(List<KeyValue> attributes, String key) {
            for (KeyValue kv : attributes) {
                if (kv.getKey().equals(key)) {
                    AnyValue v = kv.getValue();
                    return switch (v.getValueCase()) {
                        case STRING_VALUE -> v.getStringValue();
                        case INT_VALUE -> Long.toString(v.getIntValue());
                        case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                        default -> v.toString();
                    };
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    receiver.contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                    for (ResourceSpans rs : request.getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            for (Span span : ss.getSpansList()) {
                                receiver.spans.add(new Received(span, rs.getResource()));
                            }
                        }
                    }
                    byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                    if (answer.length > 0) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(answer);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    exchange.sendResponseHeaders(400, -1);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OTLP traces endpoint, {@code http://127.0.0.1:<port>/v1/traces}. */
    public String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** The Content-Type of every export received. */
    public List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /** Every span received so far. */
    public List<Received> spans() {
        return List.copyOf(spans);
    }

    /** The first span received that matches {@code which}, waiting up to 30 s for it. */
    public Received await(Predicate<Received> which, String what) {
        Awaits.until(() -> find(which).isPresent(), Duration.ofSeconds(30), what);
        return find(which).orElseThrow();
    }

    private Optional<Received> find(Predicate<Received> which) {
        return spans.stream().filter(which).findFirst();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
