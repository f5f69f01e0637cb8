package gaming.gateway.serve;

import common.v1.Meta;
import gaming.gateway.compress.ResponseCompression;
import gaming.gateway.error.GatewayException;
import gaming.gateway.http.AcceptNegotiation;
import gaming.gateway.http.ErrorHandlers;
import gaming.gateway.http.RequestBody;
import gaming.gateway.identity.IdentityResolver;
import gaming.gateway.idempotency.IdempotencyGuard;
import gaming.gateway.migration.NatsSide;
import gaming.gateway.migration.RouteMigration;
import gaming.gateway.observe.Exchange;
import gaming.gateway.observe.RouteMetrics;
import gaming.gateway.ratelimit.RouteRateLimit;
import gaming.gateway.route.Route;
import gaming.gateway.stream.SseRelay;
import gaming.gateway.transcode.JsonCodec;
import gaming.gateway.transcode.MetaHeaders;
import gaming.gateway.transcode.PathParams;
import gaming.gateway.transcode.ReplyHeaders;
import gaming.gateway.transcode.TraceContext;
import gaming.gateway.upstream.Upstream;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
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
    private final IdempotencyGuard idempotency;
    private final ResponseCompression compression;
    private final RouteRateLimit rateLimit;
    private final RouteMigration migration;

    private RouteService(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay, IdentityResolver identity,
                         RouteMetrics metrics, IdempotencyGuard idempotency, ResponseCompression compression,
                         RouteRateLimit rateLimit, RouteMigration migration) {
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
        this.idempotency = idempotency;
        this.compression = compression;
        this.rateLimit = rateLimit;
        this.migration = migration;
    }

    /**
     * The service for {@code route}, sending to {@code upstream}.
     *
     * @param maxBodyBytes the largest request body, in bytes; larger is 413
     * @param relay    the stream relay of a route with a {@code stream} type, else null
     * @param identity sets {@code Meta.user_id}/{@code tenant_id}, or rejects the request with 401
     * @param metrics  the route's meters and access log, resolved once at start-up
     * @param idempotency the route's idempotency: replay, 409, 422 around the upstream call ({@code enforce})
     */
    public static RouteService create(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay,
                                      IdentityResolver identity, RouteMetrics metrics, IdempotencyGuard idempotency) {
        return new RouteService(route, upstream, maxBodyBytes, relay, identity, metrics, idempotency, null, null, null);
    }

    /**
     * The same, with reply bodies sent through {@code compression} (null: as they are) and
     * requests counted by {@code rateLimit} (null: no limit).
     *
     * @param compression gzip of large JSON replies ({@code gateway.compression}), or null when off
     * @param rateLimit   the route's per-client rate limit ({@code rate-limit}), or null
     * @param migration   for a route with a {@code legacy} block: decides per request whether legacy or
     *                    NATS answers and what is shadowed (after the rate limit, before anything else);
     *                    null for a route without one
     */
    public static RouteService create(Route route, Upstream upstream, long maxBodyBytes, SseRelay relay,
                                      IdentityResolver identity, RouteMetrics metrics, IdempotencyGuard idempotency,
                                      ResponseCompression compression, RouteRateLimit rateLimit,
                                      RouteMigration migration) {
        return new RouteService(route, upstream, maxBodyBytes, relay, identity, metrics, idempotency, compression,
                                rateLimit, migration);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(route.path(), this::handle)
                .any(route.path(), this::otherMethod);
    }

    /**
     * 405 (with {@code RateLimit-Policy} on a limited route), except a CORS preflight
     * ({@code OPTIONS}) that the CORS filter has accepted (it set {@code Access-Control-Allow-Origin}):
     * 204 with the filter's headers.
     */
    private void otherMethod(ServerRequest req, ServerResponse res) {
        if (req.prologue().method() == Method.OPTIONS && res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        if (rateLimit != null) {
            rateLimit.describe(res);
        }
        ErrorHandlers.reject(req, res, metrics.begin(), GatewayException.methodNotAllowed(req.prologue().method().text()));
    }

    /**
     * Serves one request and records it ({@link Exchange}): a {@link GatewayException} is written
     * here through {@link ErrorHandlers#send}, so that the meters and the access log see its status
     * and size; anything else goes on to the routing's error handler as a 500. On a limited route
     * every answer carries {@code RateLimit-Policy}, and {@code RateLimit} once the client is counted
     * ({@link RouteRateLimit}).
     */
    private void handle(ServerRequest req, ServerResponse res) {
        Exchange x = metrics.begin();
        if (rateLimit != null) {
            rateLimit.describe(res);
        }
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

    /**
     * Whether {@code req} gets a stream ({@link AcceptNegotiation#wantsEventStream}); sets the
     * route's stream flag in {@code request} to match.
     */
    private boolean wantsStream(ServerRequest req, Message.Builder request) {
        if (relay == null) {
            return false;
        }
        boolean stream = AcceptNegotiation.wantsEventStream(req, relay.streamFlag(request));
        relay.setStreamFlag(request, stream);
        return stream;
    }

    private void serve(ServerRequest req, ServerResponse res, Exchange x) {
        Headers headers = req.headers();
        TraceContext.Trace trace = TraceContext.of(headers);
        String traceId = trace.traceId();
        res.header(TraceContext.X_TRACE_ID, traceId);
        res.header(TraceContext.TRACEPARENT, trace.traceparent());
        x.traceId(traceId);

        Meta.Builder meta = identity.toMeta(headers, traceId);
        if (rateLimit != null) {
            // counted before the body is read: a refused body takes a token too (RouteRateLimit)
            rateLimit.check(meta, req.remotePeer().host(), res);
        }
        byte[] json = body.read(req);
        x.bytesIn(json.length);
        if (migration != null) {
            migrate(req, res, x, trace, meta, json);
            return;
        }
        serveNats(req, res, x, trace, meta, json, false);
    }

    /**
     * A route in migration: {@link RouteMigration} picks the side. The NATS side is
     * {@link #serveNats} (idempotency, reply headers and compression as on any route) or a shadow
     * copy; the legacy side's answers pass through as legacy sent them.
     */
    private void migrate(ServerRequest req, ServerResponse res, Exchange x, TraceContext.Trace trace, Meta.Builder meta,
                         byte[] json) {
        Meta.Builder shadowMeta = meta.clone();
        var params = req.path().pathParameters();
        migration.serve(req, res, meta, trace, json, new NatsSide() {
            @Override
            public Answer serve(boolean compared) {
                return serveNats(req, res, x, trace, meta, json, compared);
            }

            @Override
            public Answer shadow(boolean stream) {
                Message.Builder request = requestCodec.parse(json);
                setPathParams(params, request);
                if (idempotency.forwardsKey()) {
                    reconcileIdempotencyKey(request, shadowMeta);
                } else {
                    shadowMeta.clearIdempotencyKey();
                }
                if (relay != null) {
                    relay.setStreamFlag(request, false);
                }
                shadowMeta.setRequestId(TraceContext.randomHex(16))
                        .setDeadlineUnixMs(System.currentTimeMillis() + route.timeout().toMillis());
                Meta sentMeta = shadowMeta.build();
                request.setField(requestMeta, sentMeta);
                if (stream && relay != null) {
                    return new Answer(200, relay.collect(request.build(), sentMeta, trace).getBytes(StandardCharsets.UTF_8),
                                      true);
                }
                Upstream.Reply reply = upstream.shadow(request.build(), sentMeta, trace);
                ReplyHeaders.Answer answer = reply.answer();
                return new Answer(answer.status(), answer.bodiless() ? new byte[0]
                        : replyCodec.print(reply.message()).getBytes(StandardCharsets.UTF_8), false);
            }
        });
    }

    /**
     * Serves from NATS: the route's own path, with the idempotency hook around the upstream call.
     *
     * @param compared whether a stream's events are copied for a comparison
     * @return the status and body sent, or null when the answer is not to be compared (a stream
     *         when not {@code compared}, or an answer replayed from the idempotency records)
     */
    private NatsSide.Answer serveNats(ServerRequest req, ServerResponse res, Exchange x, TraceContext.Trace trace,
                                      Meta.Builder meta, byte[] json, boolean compared) {
        Headers headers = req.headers();
        String traceId = trace.traceId();
        Message.Builder request = requestCodec.parse(json);
        setPathParams(req.path().pathParameters(), request);
        if (idempotency.forwardsKey()) {
            reconcileIdempotencyKey(request, meta);
        } else {
            meta.clearIdempotencyKey();
        }
        boolean stream = wantsStream(req, request);
        String requestId = TraceContext.randomHex(16);
        x.ids(traceId, requestId);
        meta.setRequestId(requestId)
                .setDeadlineUnixMs(System.currentTimeMillis() + route.timeout().toMillis());
        Meta sentMeta = meta.build();
        request.setField(requestMeta, sentMeta);

        Message built = request.build();
        if (stream) {
            if (!compared) {
                relay.relay(res, built, sentMeta, trace, x);
                return null;
            }
            StringBuilder copy = new StringBuilder();
            relay.relay(res, built, sentMeta, trace, x, copy);
            return new NatsSide.Answer(200, copy.toString().getBytes(StandardCharsets.UTF_8), true);
        }
        // ── Idempotency hook (issue 16): the one place RouteService deals with it, around the upstream
        // call. An enforce route may answer here (replay; 400/409/422/503 thrown); otherwise the claim
        // stores the final answer, or is released on close. A no-op claim on other routes.
        IdempotencyGuard.Claim claim = idempotency.claim(headers, request, sentMeta, res, x);
        if (claim.replayed()) {
            return null;
        }
        try (claim) {
            String ifNoneMatch = ReplyHeaders.ifNoneMatch(headers);
            long sent = System.nanoTime();
            Upstream.Reply reply;
            try {
                reply = upstream.exchange(built, sentMeta, trace, ifNoneMatch);
            } catch (GatewayException e) {
                claim.upstreamError(e, traceId);
                throw e;
            } finally {
                x.natsNanos(System.nanoTime() - sent);
            }
            ReplyHeaders.Answer answer = reply.answer();
            if (answer != ReplyHeaders.Answer.PLAIN) {
                answer.headers().forEach(res::header);
                res.status(Status.create(answer.status()));
                if (answer.bodiless()) {
                    claim.succeeded(answer.status(), answer.headers(), new byte[0]);
                    res.send();
                    return new NatsSide.Answer(answer.status(), new byte[0], false);
                }
            }
            byte[] out = replyCodec.print(reply.message()).getBytes(StandardCharsets.UTF_8);
            claim.succeeded(answer.status(), answer.headers(), out);
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            if (compression == null) {
                res.send(out);
            } else {
                compression.send(req, res, out);
            }
            return new NatsSide.Answer(answer.status(), out, false);
        }
        // ── end of the idempotency hook
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
