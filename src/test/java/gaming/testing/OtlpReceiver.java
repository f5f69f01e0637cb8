package gaming.testing;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OTLP trace receiver on a free loopback port, over HTTP ({@link #start()}: each
 * {@code POST /v1/traces}, {@code application/x-protobuf}) or gRPC ({@link #startGrpc()}): decodes
 * each export as an {@link ExportTraceServiceRequest} and keeps its spans.
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

    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private String endpoint;
    private Runnable stop;

    private OtlpReceiver() {
    }

    /** An OTLP/HTTP receiver ({@code http/protobuf}): {@code POST /v1/traces}. */
    public static OtlpReceiver start() {
        OtlpReceiver receiver = new OtlpReceiver();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    receiver.contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                    receiver.keep(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
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
            receiver.endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
            receiver.stop = () -> server.stop(0);
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An OTLP/gRPC receiver ({@code grpc}, HTTP/2 without TLS): grpc-java's server with the
     * {@code opentelemetry.proto.collector.trace.v1.TraceService/Export} method.
     */
    public static OtlpReceiver startGrpc() {
        OtlpReceiver receiver = new OtlpReceiver();
        ServerInterceptor contentType = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                receiver.contentTypes.add(headers.get(CONTENT_TYPE));
                return next.startCall(call, headers);
            }
        };
        TraceServiceGrpc.TraceServiceImplBase service = new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> answer) {
                receiver.keep(request);
                answer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                answer.onCompleted();
            }
        };
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(service, contentType))
                    .build()
                    .start();
            receiver.endpoint = "http://127.0.0.1:" + server.getPort();
            receiver.stop = () -> {
                try {
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Metadata.Key<String> CONTENT_TYPE =
            Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER);

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans.add(new Received(span, rs.getResource()));
                }
            }
        }
    }

    /**
     * The OTLP traces endpoint: {@code http://127.0.0.1:<port>/v1/traces} for OTLP/HTTP,
     * {@code http://127.0.0.1:<port>} for OTLP/gRPC.
     */
    public String tracesEndpoint() {
        return endpoint;
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
        stop.run();
    }
}
