package gaming.gateway.route;

import common.v1.Error;
import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.ServiceErrorHeaders;
import gaming.gateway.nats.NatsClient;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.PathParams;
import gaming.gateway.transcode.TraceContext;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTP service of one route: POST JSON in, Protobuf request over NATS, Protobuf reply out as
 * JSON. Plain blocking code on the request's virtual thread. Any failure is a
 * {@link GatewayException}, written as problem+json by the routing's error handler.
 */
public final class RouteService implements HttpService {
    private final Route route;
    private final NatsClient nats;
    private final RequestBody body;
    private final JsonCodec requestCodec;
    private final JsonCodec replyCodec;
    private final FieldDescriptor requestMeta;
    private final FieldDescriptor replyError;
    private final FieldDescriptor idempotencyField;
    private final SseRelay relay;

    private RouteService(Route route, NatsClient nats, long maxBodyBytes, SseRelay relay) {
        this.route = route;
        this.nats = nats;
        this.body = new RequestBody(maxBodyBytes);
        this.requestCodec = JsonCodec.create(route.request(), route.rejectUnknownFields());
        this.replyCodec = JsonCodec.create(route.reply(), false);
        this.requestMeta = route.request().getDescriptorForType().findFieldByName("meta");
        this.replyError = route.reply().getDescriptorForType().findFieldByName("error");
        FieldDescriptor key = route.request().getDescriptorForType().findFieldByName("idempotency_key");
        this.idempotencyField = key != null && key.getJavaType() == FieldDescriptor.JavaType.STRING && !key.isRepeated()
                ? key : null;
        this.relay = relay;
    }

    /**
     * The service for {@code route}, sending over {@code nats}.
     *
     * @param relay the stream relay of a route with a {@code stream} type, else null
     */
    public static RouteService create(Route route, NatsClient nats, long maxBodyBytes, SseRelay relay) {
        return new RouteService(route, nats, maxBodyBytes, relay);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(route.path(), this::handle)
                .any(route.path(), (req, res) -> {
                    throw GatewayException.methodNotAllowed(req.prologue().method().text());
                });
    }

    private void handle(ServerRequest req, ServerResponse res) {
        Headers headers = req.headers();
        String traceId = TraceContext.traceIdOf(headers);
        res.header(TraceContext.X_TRACE_ID, traceId);

        Meta.Builder meta = MetaHeaders.toMeta(headers, traceId);
        Message.Builder request = requestCodec.parse(body.read(req));
        setPathParams(req, request);
        reconcileIdempotencyKey(request, meta);
        boolean stream = relay != null && relay.wantsStream(req, request);
        meta.setRequestId(TraceContext.randomHex(16))
                .setDeadlineUnixMs(System.currentTimeMillis() + route.timeout().toMillis());
        request.setField(requestMeta, meta.build());

        io.nats.client.impl.Headers natsHeaders = natsHeaders(headers, traceId, meta);
        if (stream) {
            relay.relay(res, request.build().toByteArray(), natsHeaders, meta.build());
            return;
        }
        io.nats.client.Message reply = nats.request(route.subject(), natsHeaders,
                                                    request.build().toByteArray(), route.timeout());
        Message parsed = parseReply(reply);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(replyCodec.print(parsed).getBytes(StandardCharsets.UTF_8));
    }

    private void setPathParams(ServerRequest req, Message.Builder request) {
        if (route.pathParams().isEmpty()) {
            return;
        }
        var values = req.path().pathParameters();
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
            if (fromBody.length() > MetaHeaders.MAX_ID_LENGTH) {
                throw GatewayException.invalidArgument("idempotency_key is longer than " + MetaHeaders.MAX_ID_LENGTH
                                                               + " characters");
            }
            meta.setIdempotencyKey(fromBody);
        } else if (!fromHeader.isEmpty() && idempotencyField != null) {
            request.setField(idempotencyField, fromHeader);
        }
    }

    private static io.nats.client.impl.Headers natsHeaders(Headers headers, String traceId, Meta.Builder meta) {
        io.nats.client.impl.Headers out = new io.nats.client.impl.Headers();
        String traceparent = headers.first(TraceContext.TRACEPARENT)
                .filter(TraceContext::isValidTraceparent)
                .orElseGet(() -> TraceContext.newTraceparent(traceId));
        out.put(TraceContext.TRACEPARENT.defaultCase(), traceparent);
        if (!meta.getIdempotencyKey().isEmpty()) {
            out.put(MetaHeaders.IDEMPOTENCY_KEY.defaultCase(), meta.getIdempotencyKey());
        }
        return out;
    }

    private Message parseReply(io.nats.client.Message reply) {
        ServiceErrorHeaders.check(route.subject(), reply);
        Message parsed;
        try {
            parsed = replyCodec.parseBinary(reply.getData());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.badReply(route.subject(), "not a " + route.reply().getDescriptorForType().getFullName());
        }
        if (parsed.hasField(replyError)) {
            GatewayException error = GatewayException.fromService((Error) parsed.getField(replyError), route.statusTable());
            if (error != null) {
                throw error;
            }
        }
        return parsed;
    }
}
