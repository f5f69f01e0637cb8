package gaming.gateway.idempotency;

import common.v1.Meta;
import gaming.gateway.error.GatewayException;
import gaming.gateway.error.Problem;
import gaming.gateway.observe.Exchange;
import gaming.gateway.route.IdempotencyMode;
import gaming.gateway.route.IdempotencyPolicy;
import gaming.gateway.transcode.MetaHeaders;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A route's idempotency, around its one upstream call. {@code RouteService} asks for a
 * {@link Claim} before it sends the request, and tells the claim how the request ended:
 *
 * <pre>{@code
 * Claim claim = guard.claim(headers, request, meta, res, x);   // may replay, or throw 400/409/422/503
 * if (claim.replayed()) return;
 * try (claim) {
 *     ... upstream call: a GatewayException e -> claim.upstreamError(e, traceId); throw e;
 *     claim.succeeded(json); res.send(json);
 * }                                                              // anything else: the lock is released
 * }</pre>
 *
 * <p>Which answers are stored (and replayed for the record's lifetime): the service's 2xx and its
 * errors mapped to 4xx. Not stored, and the lock released so that a retry reaches the service
 * again: a service error mapped to 5xx (the service says it could not do the work; a retry is the
 * client's remedy, and a service that may fail half-way still gets the key to deduplicate itself),
 * and every answer of the gateway itself (503, 504, 502, 403): the gateway does not know what the
 * service did, and it must not pin a transient failure to the key for 24 hours.
 */
public final class IdempotencyGuard {
    private static final System.Logger LOGGER = System.getLogger(IdempotencyGuard.class.getName());
    /** Set on a replayed answer (Stripe's name; the IETF draft names none). */
    public static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final int MAX_ATTEMPTS = 3;

    /** The guard of a route that does not enforce: no claim, nothing stored. */
    private static final IdempotencyGuard NONE = new IdempotencyGuard(IdempotencyPolicy.FORWARD, "", Duration.ZERO,
                                                                     null, null, null, null);

    private final IdempotencyPolicy policy;
    private final String route;
    private final long lockMillis;
    private final FieldDescriptor metaField;
    private final FieldDescriptor keyField;
    private final IdempotencyStore store;
    private final IdempotencyMetrics metrics;

    private IdempotencyGuard(IdempotencyPolicy policy, String route, Duration lock, FieldDescriptor metaField,
                             FieldDescriptor keyField, IdempotencyStore store, IdempotencyMetrics metrics) {
        this.policy = policy;
        this.route = route;
        this.lockMillis = lock.toMillis();
        this.metaField = metaField;
        this.keyField = keyField;
        this.store = store;
        this.metrics = metrics;
    }

    /** A guard that claims nothing: for a route in {@code forward} or {@code off} mode. */
    public static IdempotencyGuard none(IdempotencyPolicy policy) {
        return policy.mode() == IdempotencyMode.FORWARD ? NONE
                : new IdempotencyGuard(policy, "", Duration.ZERO, null, null, null, null);
    }

    /**
     * The guard of an {@code enforce} route.
     *
     * @param route    the route's name (part of every record key, and the metrics label)
     * @param timeout  the route's timeout; a record is locked for it plus the store's lock margin
     * @param request  the route's request type (must have a {@code meta} field)
     * @param registry where the counters go; null when metrics are off
     * @throws IllegalArgumentException when the store keeps records for less than the lock time
     */
    public static IdempotencyGuard enforce(IdempotencyPolicy policy, String route, Duration timeout, Message request,
                                           IdempotencyStore store, io.helidon.metrics.api.MeterRegistry registry) {
        Duration lock = timeout.plus(store.settings().lockMargin());
        if (store.settings().maxAge().compareTo(lock) <= 0) {
            throw new IllegalArgumentException("route " + route + ": gateway.idempotency.max-age (" + store.settings().maxAge()
                    + ") must be longer than the route's timeout plus lock-margin (" + lock + ")");
        }
        FieldDescriptor key = request.getDescriptorForType().findFieldByName("idempotency_key");
        if (key != null && (key.isRepeated() || key.getJavaType() != FieldDescriptor.JavaType.STRING)) {
            key = null;
        }
        return new IdempotencyGuard(policy, route, lock, request.getDescriptorForType().findFieldByName("meta"), key,
                                    store, IdempotencyMetrics.create(registry, route));
    }

    /** Whether the key goes to the service (in {@code Meta} and the NATS header): not in {@code off} mode. */
    public boolean forwardsKey() {
        return policy.mode() != IdempotencyMode.OFF;
    }

    /**
     * Claims the request's key before the upstream call, or answers the request itself.
     *
     * @param headers the request headers ({@code Idempotency-Key})
     * @param request the translated request (its {@code meta} and key field are left out of the fingerprint)
     * @param meta    the request's meta: tenant, user, and the key (from the header or the body)
     * @return {@link Claim#NONE} when the request is not deduplicated (no key, not enforcing, store
     *         down on a fail-open route); {@link Claim#REPLAYED} when the stored answer has been
     *         written; else the claim of a locked record, to complete or close
     * @throws GatewayException 400 (key missing on a route that requires one, or malformed), 409
     *                          (in flight, with {@code Retry-After}), 422 (another payload), 503
     *                          (store unavailable)
     */
    public Claim claim(Headers headers, Message.Builder request, Meta meta, ServerResponse res, Exchange x) {
        if (store == null) {
            return Claim.NONE;
        }
        String raw = headers.first(MetaHeaders.IDEMPOTENCY_KEY).orElse(null);
        String key = raw != null ? IdempotencyKey.fromHeader(raw)
                : meta.getIdempotencyKey().isEmpty() ? null : IdempotencyKey.fromBody(meta.getIdempotencyKey());
        if (key == null) {
            if (policy.required()) {
                throw GatewayException.idempotencyKeyMissing();
            }
            return Claim.NONE;
        }
        String recordKey = Fingerprint.recordKey(route, meta.getTenantId(), meta.getUserId(), key);
        byte[] fingerprint = Fingerprint.of(request, metaField, keyField);
        try {
            return claim(recordKey, fingerprint, res, x);
        } catch (StoreException e) {
            metrics.storeFailure();
            if (policy.failOpen()) {
                metrics.failOpen();
                LOGGER.log(Level.WARNING, "route " + route + ": " + e.getMessage() + "; idempotency-fail-open: request sent"
                        + " without deduplication");
                return Claim.NONE;
            }
            throw GatewayException.idempotencyStoreUnavailable(e.getMessage());
        }
    }

    private Claim claim(String recordKey, byte[] fingerprint, ServerResponse res, Exchange x) throws StoreException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long now = System.currentTimeMillis();
            byte[] lock = IdempotencyRecord.inFlight(fingerprint, now + lockMillis).encode();
            long revision = store.create(recordKey, lock);
            if (revision >= 0) {
                return new Claim(this, recordKey, fingerprint, revision);
            }
            var entry = store.get(recordKey);
            if (entry == null) {
                // released (a delete marker) or gone since the create: create over it
                revision = store.createOverDeleted(recordKey, lock);
                if (revision >= 0) {
                    return new Claim(this, recordKey, fingerprint, revision);
                }
                continue;
            }
            IdempotencyRecord record;
            try {
                record = IdempotencyRecord.decode(entry.getValue());
            } catch (IllegalArgumentException e) {
                throw StoreException.failed("unreadable idempotency record", e);
            }
            if (!Arrays.equals(record.fingerprint(), fingerprint)) {
                metrics.mismatch();
                throw GatewayException.idempotencyKeyMismatch();
            }
            if (!record.inFlight()) {
                replay(record.answer(), res, x);
                return Claim.REPLAYED;
            }
            if (record.lockedUntilMillis() > now) {
                throw conflict(res);
            }
            long taken = store.update(recordKey, lock, entry.getRevision());
            if (taken >= 0) {
                metrics.takeover();
                LOGGER.log(Level.WARNING, "route " + route + ": took over an idempotency record locked until "
                        + record.lockedUntilMillis() + " (its gateway did not complete it)");
                return new Claim(this, recordKey, fingerprint, taken);
            }
            // another request took it over first: the next attempt sees its lock
        }
        throw conflict(res);
    }

    /**
     * 409. {@code Retry-After: 1} rather than the time to "locked until" (up to the route's timeout
     * plus the margin): the first request most likely completes long before its lock would expire,
     * and a retry then gets the replay.
     */
    private GatewayException conflict(ServerResponse res) {
        metrics.conflict();
        res.header(HeaderNames.RETRY_AFTER, "1");
        return GatewayException.idempotencyKeyInUse();
    }

    private void replay(IdempotencyRecord.StoredAnswer answer, ServerResponse res, Exchange x) {
        metrics.replay();
        res.status(Status.create(answer.status()));
        List<String> headers = answer.headers();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            res.header(headers.get(i), headers.get(i + 1));
        }
        res.header(IDEMPOTENT_REPLAYED, "true");
        if (answer.status() >= 400) {
            x.failed(answer.status(), answer.code());
        }
        res.send(answer.body());
    }

    /**
     * The lock on one key, held while the request is upstream: store the answer with
     * {@link #succeeded} or {@link #upstreamError}; {@link #close()} releases a lock that holds no
     * answer. Used by the request's thread only.
     */
    public static final class Claim implements AutoCloseable {
        /** Nothing claimed: the request is not deduplicated. */
        public static final Claim NONE = new Claim(null, null, null, -1);
        /** The stored answer has been written: nothing else to do. */
        public static final Claim REPLAYED = new Claim(null, null, null, -1);

        private final IdempotencyGuard guard;
        private final String recordKey;
        private final byte[] fingerprint;
        private final long revision;
        private boolean done;

        private Claim(IdempotencyGuard guard, String recordKey, byte[] fingerprint, long revision) {
            this.guard = guard;
            this.recordKey = recordKey;
            this.fingerprint = fingerprint;
            this.revision = revision;
        }

        /** Whether the answer has already been written (a replay). */
        public boolean replayed() {
            return this == REPLAYED;
        }

        /** Stores a 200 with the JSON {@code body}, before it is sent. */
        public void succeeded(byte[] body) {
            succeeded(200, List.of(), body);
        }

        /**
         * Stores the service's own success answer before it is sent, so that a replay repeats it:
         * {@code status} (a 2xx or 304 the service set), the reply headers the route passes on, and
         * the JSON {@code body}, or no body and no {@code Content-Type} for 204 and 304 (RFC 9110
         * sections 15.3.5 and 15.4.5).
         *
         * @param status  HTTP status of the answer
         * @param headers the reply headers sent with it (already filtered by the route's policy)
         * @param body    the JSON body, empty for 204 and 304
         */
        public void succeeded(int status, List<Header> headers, byte[] body) {
            if (guard == null) {
                return; // nothing claimed: no allocation on the path of routes that do not enforce
            }
            List<String> stored = new ArrayList<>(2 + 2 * headers.size());
            for (Header header : headers) {
                stored.add(header.name());
                stored.add(header.get());
            }
            if (status != 204 && status != 304) {
                stored.add(HeaderNames.CONTENT_TYPE.defaultCase());
                stored.add("application/json");
            }
            store(new IdempotencyRecord.StoredAnswer(status, "", List.copyOf(stored), body));
        }

        /**
         * Takes the failure of the upstream call: stores {@code error} when the service reported it
         * ({@link GatewayException#reportedByService()}) and it maps to a 4xx, as the problem+json
         * body the gateway is about to send (byte for byte the same: {@link Problem#body}); any other
         * failure (the gateway's own 403, 502, 503, 504, or a service 5xx) is not stored, and
         * {@link #close()} releases the lock.
         */
        public void upstreamError(GatewayException error, String traceId) {
            if (guard == null || !error.reportedByService() || error.status() >= 500) {
                return;
            }
            List<String> headers = switch (error.status()) {
                case 401 -> List.of(HeaderNames.CONTENT_TYPE.defaultCase(), Problem.MEDIA_TYPE,
                                    HeaderNames.WWW_AUTHENTICATE.defaultCase(),
                                    error.challenge() != null ? error.challenge() : GatewayException.BEARER_CHALLENGE);
                case 429 -> List.of(HeaderNames.CONTENT_TYPE.defaultCase(), Problem.MEDIA_TYPE,
                                    HeaderNames.RETRY_AFTER.defaultCase(), "1");
                default -> List.of(HeaderNames.CONTENT_TYPE.defaultCase(), Problem.MEDIA_TYPE);
            };
            store(new IdempotencyRecord.StoredAnswer(error.status(), error.code(), headers, Problem.body(error, traceId)));
        }

        private void store(IdempotencyRecord.StoredAnswer answer) {
            if (guard == null || done) {
                return;
            }
            done = true;
            byte[] value = IdempotencyRecord.completed(fingerprint, answer).encode();
            try {
                if (guard.store.update(recordKey, value, revision) < 0) {
                    guard.metrics.storeFailure();
                    LOGGER.log(Level.WARNING, "route " + guard.route + ": answer not stored, the record was taken over"
                            + " (the request outlived its lock)");
                }
            } catch (StoreException e) {
                guard.metrics.storeFailure();
                LOGGER.log(Level.WARNING, "route " + guard.route + ": answer not stored: " + e.getMessage());
            }
        }

        /** Releases the lock unless an answer was stored, so that a retry reaches the service. */
        @Override
        public void close() {
            if (guard == null || done) {
                return;
            }
            done = true;
            try {
                guard.store.delete(recordKey, revision);
            } catch (StoreException e) {
                guard.metrics.storeFailure();
                LOGGER.log(Level.WARNING, "route " + guard.route + ": lock not released (it expires at its locked-until"
                        + " time): " + e.getMessage());
            }
        }
    }
}
