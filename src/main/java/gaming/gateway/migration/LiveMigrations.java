package gaming.gateway.migration;

import gaming.gateway.error.GatewayException;
import gaming.gateway.nats.NatsClient;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Live migration settings shared by every gateway instance through a NATS JetStream key-value
 * bucket ({@code gateway.migration.kv-bucket}, default {@link #DEFAULT_BUCKET}): one key per route
 * name, its value the JSON of the route's live settings. Every instance watches the bucket and
 * applies each value on top of its route table's defaults (a deleted key puts the route back to
 * them). While the bucket cannot be reached (NATS down, no JetStream, a store that failed) a change
 * applies to this instance only, and says so.
 *
 * <p>A background thread keeps the watch: it opens it once NATS is connected, and while JetStream or
 * the bucket is not there it tries again after {@link #FIRST_RETRY}, doubling up to
 * {@link #MAX_RETRY} (and at once after each reconnect). A watch is a jnats ordered consumer, which
 * lives on one connection: jnats subscribes it again after a reconnect, and when the server lost the
 * consumer (a restart) makes it again from the last entry seen, but only once it has missed three
 * 5 s heartbeats (15 to 30 s later). So the thread itself opens the watch again, from the last
 * revision it delivered: after every reconnect (at once), on the new connection after a move off a
 * lame-duck server (the gateway closes the old one), and from the start when the bucket was deleted or
 * made again (checked every {@link #CHECK_EVERY} and after a store that failed).
 */
public final class LiveMigrations implements AutoCloseable {
    /** The bucket when {@code gateway.migration.kv-bucket} is not set. */
    public static final String DEFAULT_BUCKET = "gateway_migration";
    /** The first wait before the bucket is tried again after it could not be opened. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** The longest wait between tries; the wait doubles from {@link #FIRST_RETRY} up to this. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** How often an open watch's bucket is checked (still there, not made again). */
    static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(LiveMigrations.class.getName());
    private static final String ENCODED = "b64.";
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*");
    /** jnats' error code of a JetStream API answer "stream not found" (no such bucket). */
    private static final int STREAM_NOT_FOUND = 10059;

    private final Migrations migrations;
    private final NatsClient nats;
    private final String bucket;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Released to wake the keeper early: NATS (re)connected, a store failed or worked again. */
    private final Semaphore wake = new Semaphore(0);
    /** Set with {@link #wake} when NATS (re)connected: the keeper's wait starts over from {@link #FIRST_RETRY}. */
    private final AtomicBoolean reconnected = new AtomicBoolean();
    /**
     * The watch, or null before the first opened; set by the keeper thread only (and cleared by
     * {@link #close}). Changes are stored through its bucket, also while it is {@link #stopped}.
     */
    private volatile Watch watch;
    /**
     * The watch when it was stopped to be opened again, until that succeeds (the next one starts after
     * its last revision); null while {@link #watch} delivers. Keeper thread only.
     */
    private Watch stopped;
    /** Whether the last open or check of the bucket succeeded; null before the first. */
    private volatile Boolean reachable;
    private volatile Thread keeper;

    /**
     * A watch of the bucket: the connection it is on, the bucket there, when the bucket was made, and
     * the revision of the last entry it delivered (0 before the first).
     */
    private record Watch(Connection connection, KeyValue kv, AutoCloseable subscription, ZonedDateTime created,
                         AtomicLong revision) {
    }

    /**
     * What {@link #change} did.
     *
     * @param settings the settings now in force on this instance
     * @param shared   true when the shared bucket stored the change (every instance applies it)
     * @param reason   when not shared, why the change applies to this instance only; else null
     */
    public record Change(MigrationSettings settings, boolean shared, String reason) {
    }

    private LiveMigrations(Migrations migrations, NatsClient nats, String bucket) {
        this.migrations = migrations;
        this.nats = nats;
        this.bucket = bucket;
    }

    /**
     * Starts keeping a watch on {@code bucket} in the background once NATS is connected (nothing when
     * no route is in migration).
     */
    public static LiveMigrations start(Migrations migrations, NatsClient nats, String bucket) {
        LiveMigrations live = new LiveMigrations(migrations, nats, bucket);
        if (migrations.any()) {
            nats.onConnected(() -> {
                live.reconnected.set(true);
                live.wake.release();
            });
            live.keeper = Thread.ofVirtual().name("migration-kv").start(live::keep);
        }
        return live;
    }

    /**
     * Whether changes go to the shared bucket now: NATS is connected, the watch is open on that
     * connection, and the last open or check of the bucket succeeded.
     */
    public boolean shared() {
        Watch w = watch;
        return w != null && Boolean.TRUE.equals(reachable) && w.connection() == connection();
    }

    /**
     * Changes route {@code route}: applied here at once, and stored in the bucket (every instance, this
     * one included, applies it from its watch). When the bucket cannot be reached, or does not confirm
     * the store, the change applies to this instance only, the answer says why, and the next change
     * is tried on the bucket again. Logged with {@code who}.
     *
     * @return the settings now in force on this instance, and whether the bucket has them
     * @throws GatewayException 404 for a route not in migration, 400 for an invalid change
     */
    public Change change(String route, JsonObject change, String who) {
        MigrationSettings next = migrations.applyLocally(route, change, who);
        String notStored = store(route, next);
        return new Change(next, notStored == null, notStored);
    }

    /** Stores {@code next} as route {@code route}'s value in the bucket: null when stored, else why not. */
    private String store(String route, MigrationSettings next) {
        Watch w = watch;
        if (w == null) {
            return "the JetStream bucket " + bucket + " is not available (the gateway keeps trying to reach it)";
        }
        Connection c = w.connection();
        Connection up = connection();
        if (up == null) {
            // while NATS reconnects jnats would buffer the store and might send it later: not tried
            return "NATS is not connected";
        }
        if (c != up) {
            wake.release();
            return "the watch of the JetStream bucket " + bucket + " is moving to a new NATS connection";
        }
        String lastErrorBefore = c.getLastError();
        try {
            w.kv().put(kvKey(route), next.changeJson().toString().getBytes(StandardCharsets.UTF_8));
            if (!Boolean.TRUE.equals(reachable)) {
                wake.release(); // the bucket answers again: the keeper checks it and says so
            }
            return null;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            String why = denied(c, lastErrorBefore);
            String cause = why != null ? why : String.valueOf(e.getMessage());
            LOG.warning("could not store the migration of route " + route + " in JetStream bucket " + bucket + " (" + cause
                                + "): it applies to this instance only; the next change is tried on the bucket again");
            LOG.log(Level.FINE, "the store that failed", e);
            wake.release(); // the keeper checks the bucket at once
            return "the JetStream bucket " + bucket + " did not store it: " + cause;
        }
    }

    /** The server's permission error on {@code c} since {@code lastErrorBefore}, or null. */
    private static String denied(Connection c, String lastErrorBefore) {
        String last = c.getLastError();
        return last != null && !last.equals(lastErrorBefore) && last.toLowerCase().contains("permissions violation")
                ? last.strip()
                : null;
    }

    /** The NATS connection if it is up now, else null. */
    private Connection connection() {
        Connection[] up = new Connection[1];
        nats.ifConnected(c -> up[0] = c);
        return up[0];
    }

    /** The keeper thread: opens the watch, checks it, opens it again where jnats does not, until closed. */
    private void keep() {
        Duration retry = FIRST_RETRY;
        boolean resume = false;
        while (!closed.get()) {
            Duration wait = CHECK_EVERY;
            if (reconnected.getAndSet(false)) {
                retry = FIRST_RETRY;
                resume = true;
            }
            Connection c = connection();
            if (c != null) {
                try {
                    refresh(c, resume);
                    resume = false;
                    nowReachable();
                    retry = FIRST_RETRY;
                } catch (InterruptedException e) {
                    break;
                } catch (Exception e) {
                    notReachable(e, retry);
                    wait = retry;
                    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) < 0 ? retry.multipliedBy(2) : MAX_RETRY;
                }
            }
            // not connected: woken by the connect
            try {
                if (wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        Watch w = watch;
        if (w != null) {
            watch = null;
            stop(w);
        }
    }

    /**
     * Opens the watch on {@code c} when there is none, or it is on another connection (the old one is
     * gone after a move off a lame-duck server), or the bucket was deleted or made again; after a
     * reconnect ({@code reconnected}) opens it again from the last revision it delivered (a restarted
     * server lost its consumer, which jnats would make again only after missing its heartbeats, up to
     * 30 s); else only checks the bucket.
     */
    private void refresh(Connection c, boolean reconnected) throws IOException, JetStreamApiException, InterruptedException {
        Watch w = watch;
        if (stopped == null) {
            if (w != null && w.connection() == c) {
                KeyValueStatus status = status(c.keyValueManagement());
                boolean same = status != null && Objects.equals(created(status), w.created());
                if (same && !reconnected) {
                    return;
                }
                if (!same) {
                    LOG.warning("JetStream bucket " + bucket + (status == null ? " was deleted" : " was made again")
                                        + ": watching it anew");
                }
            } else if (w != null) {
                LOG.info(() -> "watching JetStream bucket " + bucket + " on the new NATS connection");
            }
            if (w != null) {
                // stopped before the next opens: the two would deliver the same entries, in an order of their
                // own; the field keeps it, so that stores go on through its bucket meanwhile
                stop(w);
                stopped = w;
            }
        }
        Watch opened = open(c, stopped);
        stopped = null;
        if (closed.get()) {
            stop(opened);
        } else {
            watch = opened;
        }
    }

    /**
     * Opens a watch of the bucket on {@code c}, making the bucket if there is none. It starts after the
     * last revision {@code previous} delivered when that watched the same bucket (made at the same
     * time), else with every key's latest value.
     */
    private Watch open(Connection c, Watch previous) throws IOException, JetStreamApiException, InterruptedException {
        KeyValueManagement kvm = c.keyValueManagement();
        KeyValueStatus status = status(kvm);
        if (status == null) {
            try {
                status = kvm.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.File)
                                            .maxHistoryPerKey(1).build());
            } catch (JetStreamApiException raced) {
                status = kvm.getStatus(bucket); // another instance made it first
            }
        }
        ZonedDateTime created = created(status);
        AtomicLong revision = new AtomicLong();
        if (previous != null && created.equals(previous.created())) {
            revision.set(previous.revision().get());
        }
        KeyValueWatcher watcher = new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                apply(entry);
                revision.set(entry.getRevision());
            }

            @Override
            public void endOfData() {
                // the stored values are applied; later changes arrive one by one
            }
        };
        KeyValue kv = c.keyValue(bucket);
        long after = revision.get();
        AutoCloseable subscription = after > 0 ? kv.watchAll(watcher, after + 1) : kv.watchAll(watcher);
        return new Watch(c, kv, subscription, created, revision);
    }

    /** The bucket's status, or null when there is no such bucket. */
    private KeyValueStatus status(KeyValueManagement kvm) throws IOException, JetStreamApiException {
        try {
            return kvm.getStatus(bucket);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private static ZonedDateTime created(KeyValueStatus status) {
        return status.getBackingStreamInfo().getCreateTime();
    }

    private static void stop(Watch w) {
        try {
            w.subscription().close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the migration watch: " + e);
        }
    }

    private void nowReachable() {
        if (!Boolean.TRUE.equals(reachable)) {
            reachable = true;
            LOG.info(() -> "migration settings shared through JetStream bucket " + bucket);
        }
    }

    private void notReachable(Exception e, Duration retry) {
        if (Boolean.FALSE.equals(reachable)) {
            LOG.fine(() -> "JetStream bucket " + bucket + " still not available (" + e + ")");
            return;
        }
        reachable = false;
        LOG.warning("JetStream bucket " + bucket + " not available (" + e.getMessage() + "): migration changes apply to"
                            + " each instance only until it is; trying again in " + retry.toMillis()
                            + " ms, then at most every " + MAX_RETRY.toSeconds() + " s");
    }

    /**
     * The bucket's key for route {@code route}: the name itself when it is a KV key made of
     * {@code A-Z a-z 0-9 _ = -} tokens joined by {@code .}, else {@value #ENCODED} and the name's UTF-8 in
     * unpadded base64url (route names default to the path, e.g. {@code /ai/models/{model_id}}).
     */
    static String kvKey(String route) {
        return PLAIN_KEY.matcher(route).matches() && !route.startsWith(ENCODED)
                ? route
                : ENCODED + Base64.getUrlEncoder().withoutPadding().encodeToString(route.getBytes(StandardCharsets.UTF_8));
    }

    /** The route name of bucket key {@code key}, the inverse of {@link #kvKey}. */
    static String routeOf(String key) {
        if (!key.startsWith(ENCODED)) {
            return key;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(key.substring(ENCODED.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }

    private void apply(KeyValueEntry entry) {
        String route = routeOf(entry.getKey());
        if (entry.getOperation() != KeyValueOperation.PUT) {
            migrations.reset(route);
            return;
        }
        try {
            JsonElement value = JsonParser.parseString(entry.getValueAsString());
            if (value.isJsonObject()) {
                migrations.applyStored(route, value.getAsJsonObject());
                return;
            }
        } catch (RuntimeException e) {
            // logged below
        }
        LOG.warning("ignored stored migration of route " + route + ": not a JSON object");
    }

    /** Stops the keeper thread and closes the watch. */
    @Override
    public void close() {
        closed.set(true);
        Thread t = keeper;
        if (t != null) {
            t.interrupt();
        }
        Watch w = watch;
        if (w != null) {
            watch = null;
            stop(w);
        }
    }
}
