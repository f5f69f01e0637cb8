package gaming.gateway.serve;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.http.RequestBody;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.migration.NatsSide;
import gaming.gateway.migration.RouteMigration;
import gaming.gateway.observe.Exchange;
import gaming.gateway.observe.RouteMetrics;
import gaming.gateway.route.Route;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.PathParams;
import gaming.gateway.transcode.TraceContext;
import gaming.gateway.upstream.Upstream;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The HTTP service of one route: POST JSON in, Protobuf request to the route's {@link Upstream},
 * Protobuf reply out as JSON (or, for a stream, Server-Sent Events through {@link SseRelay}). Plain blocking code on the
 * request's virtual thread. Any failure is a {@link GatewayException}, written as problem+json by
 * {@link ErrorHandlers#send} and recorded in the route's meters and the access log.
 */
public final class RouteService implements HttpService {
    private final Route route;
    private final Upstream upstream;
    private final RequestBody body;
    private final JsonCodec requestCodec;
    private final JsonCodec replyCodec;
    private final FieldDescriptor requestMeta;
    private final FieldDescriptor idempotencyField;
    private final SseRelay relay;
    private final Semaphore slots;
    private final IdentityResolver identity;
    private final RouteMetrics metrics;
    private final RouteMigration migration;

    private RouteService(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay, IdentityResolver identity,
                         RouteMetrics metrics, RouteMigration migration) {
        this.route = route;
        this.upstream = upstream;
        this.body = new RequestBody(maxBodyBytes);
        this.requestCodec = JsonCodec.create(route.request(), route.rejectUnknownFields());
        this.replyCodec = JsonCodec.create(route.reply(), false);
        this.requestMeta = route.request().getDescriptorForType().findFieldByName("meta");
        FieldDescriptor key = route.request().getDescriptorForType().findFieldByName("idempotency_key");
        this.idempotencyField = key != null && key.getJavaType() == FieldDescriptor.JavaType.STRING && !key.isRepeated()
                ? key : null;
        this.relay = relay;
        this.slots = route.maxInFlight() > 0 ? new Semaphore(route.maxInFlight()) : null;
        this.identity = identity;
        this.metrics = metrics;
        this.migration = migration;
    }

    /**
     * The service for {@code route}, sending to {@code upstream}.
     *
     * @param maxBodyBytes the largest request body, in bytes; larger is 413
     * @param relay    the stream relay of a route with a {@code stream} type, else null
     * @param identity sets {@code Meta.user_id}/{@code tenant_id}, or rejects the request with 401
     * @param metrics  the route's meters and access log, resolved once at start-up
     */
    public static RouteService create(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay,
                                      IdentityResolver identity, RouteMetrics metrics) {
        return create(route, upstream, maxBodyBytes, relay, identity, metrics, null);
    }

    /**
     * The same, for a route in migration: {@code migration} decides per request whether legacy or
     * NATS answers and what is shadowed; null for a route without a {@code legacy} block.
     */
    public static RouteService create(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay,
                                      IdentityResolver identity, RouteMetrics metrics, RouteMigration migration) {
        return new RouteService(route, upstream, maxBodyBytes, relay, identity, metrics, migration);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(route.path(), this::handle)
                .any(route.path(), (req, res) -> ErrorHandlers.reject(req, res, metrics.begin(),
                        GatewayException.methodNotAllowed(req.prologue().method().text())));
    }

    /**
     * Serves one request and records it ({@link Exchange}): a {@link GatewayException} is written
     * here through {@link ErrorHandlers#send}, so that the meters and the access log see its status
     * and size; anything else goes on to the routing's error handler as a 500.
     */
    private void handle(ServerRequest req, ServerResponse res) {
        Exchange x = metrics.begin();
        if (slots != null && !slots.tryAcquire()) {
            ErrorHandlers.reject(req, res, x, GatewayException.overloaded(route.maxInFlight(), route.name()));
            return;
        }
        try {
            serve(req, res, x);
        } catch (GatewayException e) {
            fail(req, res, x, e);
        } catch (HttpException e) {
            fail(req, res, x, ErrorHandlers.fromHttp(e));
        } catch (RuntimeException e) {
            x.failed(500, "INTERNAL");
            throw e;
        } finally {
            if (slots != null) {
                slots.release();
            }
            x.end(res.bytesWritten(), x.bodyRead() ? -1 : req.headers().contentLength().orElse(-1));
        }
    }

    private static void fail(ServerRequest req, ServerResponse res, Exchange x, GatewayException error) {
        if (res.isSent()) {
            x.failed(res.status().code(), error.code());
            return;
        }
        x.failed(error);
        ErrorHandlers.send(req, res, error);
    }

    private void serve(ServerRequest req, ServerResponse res, Exchange x) {
        PathParams.checkRawPath(req.path().rawPath());
        Headers headers = req.headers();
        TraceContext.Trace trace = TraceContext.of(headers);
        String traceId = trace.traceId();
        res.header(TraceContext.X_TRACE_ID, traceId);
        res.header(TraceContext.TRACEPARENT, trace.traceparent());
        x.traceId(traceId);

        Meta.Builder meta = identity.toMeta(headers, traceId);
        byte[] json = body.read(req);
        x.bytesIn(json.length);
        if (migration != null) {
            migrate(req, res, x, trace, meta, json);
            return;
        }
        serveNats(req, res, x, trace, meta, json);
    }

    /** A route in migration: {@link RouteMigration} picks the side; the NATS side is {@link #serveNats} or a shadow call. */
    private void migrate(ServerRequest req, ServerResponse res, Exchange x, TraceContext.Trace trace, Meta.Builder meta,
                         byte[] json) {
        Meta.Builder shadowMeta = meta.clone();
        var params = req.path().pathParameters();
        migration.serve(req, res, meta, trace, json, new NatsSide() {
            @Override
            public byte[] serve() {
                return serveNats(req, res, x, trace, meta, json);
            }

            @Override
            public byte[] shadow() {
                Message.Builder request = natsRequest(params, shadowMeta, json);
                return replyCodec.print(upstream.call(request.build(), (Meta) request.getField(requestMeta), trace, true))
                        .getBytes(StandardCharsets.UTF_8);
            }
        });
    }

    /** The NATS request of {@code json}: path parameters, idempotency key and {@code meta} set. */
    private Message.Builder natsRequest(io.helidon.common.parameters.Parameters params, Meta.Builder meta, byte[] json) {
        Message.Builder request = requestCodec.parse(json);
        setPathParams(params, request);
        reconcileIdempotencyKey(request, meta);
        meta.setRequestId(TraceContext.randomHex(16))
                .setDeadlineUnixMs(System.currentTimeMillis() + route.timeout().toMillis());
        request.setField(requestMeta, meta.build());
        return request;
    }

    /** Serves from NATS; returns the JSON body sent, null for a stream. */
    private byte[] serveNats(ServerRequest req, ServerResponse res, Exchange x, TraceContext.Trace trace,
                             Meta.Builder meta, byte[] json) {
        String traceId = trace.traceId();
        Message.Builder request = requestCodec.parse(json);
        setPathParams(req.path().pathParameters(), request);
        reconcileIdempotencyKey(request, meta);
        boolean stream = relay != null && relay.wantsStream(req, request);
        String requestId = TraceContext.randomHex(16);
        x.ids(traceId, requestId);
        meta.setRequestId(requestId)
                .setDeadlineUnixMs(System.currentTimeMillis() + route.timeout().toMillis());
        Meta sentMeta = meta.build();
        request.setField(requestMeta, sentMeta);

        Message built = request.build();
        if (stream) {
            relay.relay(res, built, sentMeta, trace, x);
            return null;
        }
        long sent = System.nanoTime();
        Message reply;
        try {
            reply = upstream.call(built, sentMeta, trace);
        } finally {
            x.natsNanos(System.nanoTime() - sent);
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        byte[] out = replyCodec.print(reply).getBytes(StandardCharsets.UTF_8);
        res.send(out);
        return out;
    }

    private void setPathParams(io.helidon.common.parameters.Parameters values, Message.Builder request) {
        if (route.pathParams().isEmpty()) {
            return;
        }
        for (Map.Entry<String, FieldDescriptor> param : route.pathParams().entrySet()) {
            String value = PathParams.check(param.getKey(), values.first(param.getKey()).orElse(""));
            request.setField(param.getValue(), value);
        }
    }

    private void reconcileIdempotencyKey(Message.Builder request, Meta.Builder meta) {
        String fromHeader = meta.getIdempotencyKey();
        String fromBody = idempotencyField == null ? "" : (String) request.getField(idempotencyField);
        if (!fromBody.isEmpty() && !fromHeader.isEmpty() && !fromBody.equals(fromHeader)) {
            throw GatewayException.invalidArgument("Idempotency-Key header and body idempotency_key differ");
        }
        if (!fromBody.isEmpty()) {
            if (fromBody.length() > MetaHeaders.MAX_ID_LENGTH || !MetaHeaders.isPrintableAscii(fromBody)) {
                throw GatewayException.invalidArgument("idempotency_key must be 1 to " + MetaHeaders.MAX_ID_LENGTH
                                                               + " printable ASCII characters");
            }
            meta.setIdempotencyKey(fromBody);
        } else if (!fromHeader.isEmpty() && idempotencyField != null) {
            request.setField(idempotencyField, fromHeader);
        }
    }
}
