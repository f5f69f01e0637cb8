package gaming.gateway.migration;

import gaming.gateway.error.GatewayException;
import gaming.gateway.nats.NatsClient;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Live migration settings shared by every gateway instance through a NATS JetStream key-value
 * bucket ({@code gateway.migration.kv-bucket}, default {@link #DEFAULT_BUCKET}): one key per route
 * name, its value the JSON of the route's live settings. Every instance watches the bucket and
 * applies each value on top of its route table's defaults (a deleted key puts the route back to
 * them). Without JetStream (or before NATS is up) a change applies to this instance only.
 */
public final class LiveMigrations implements AutoCloseable {
    /** The bucket when {@code gateway.migration.kv-bucket} is not set. */
    public static final String DEFAULT_BUCKET = "gateway_migration";
    private static final Logger LOG = Logger.getLogger(LiveMigrations.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String ENCODED = "b64.";
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*");

    private final Migrations migrations;
    private final NatsClient nats;
    private final String bucket;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile KeyValue kv;
    private volatile Thread starter;

    private LiveMigrations(Migrations migrations, NatsClient nats, String bucket) {
        this.migrations = migrations;
        this.nats = nats;
        this.bucket = bucket;
    }

    /**
     * Starts watching {@code bucket} in the background once NATS is connected (nothing when no route
     * is in migration).
     */
    public static LiveMigrations start(Migrations migrations, NatsClient nats, String bucket) {
        LiveMigrations live = new LiveMigrations(migrations, nats, bucket);
        if (migrations.any()) {
            live.starter = Thread.ofVirtual().name("migration-kv").start(live::connect);
        }
        return live;
    }

    /** Whether changes go to the shared bucket (JetStream is there and the watch is running). */
    public boolean shared() {
        return kv != null;
    }

    /**
     * Changes route {@code route}: stored in the bucket (every instance, this one included, applies it
     * from its watch; this one also at once), or applied here only without JetStream. Logged with
     * {@code who}.
     *
     * @return the settings now in force on this instance
     * @throws GatewayException 404 for a route not in migration, 400 for an invalid change
     */
    public MigrationSettings change(String route, JsonObject change, String who) {
        MigrationSettings next = migrations.applyLocally(route, change, who);
        KeyValue store = kv;
        if (store != null) {
            try {
                store.put(kvKey(route), next.changeJson().toString().getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                LOG.log(Level.WARNING, "could not store the migration of " + route + " in bucket " + bucket
                        + "; it applies to this instance only", e);
                kv = null;
            }
        }
        return next;
    }

    private void connect() {
        while (!closed.get()) {
            if (nats.connected()) {
                nats.ifConnected(this::watch);
                return;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void watch(Connection connection) {
        try {
            KeyValueManagement kvm = connection.keyValueManagement();
            if (!kvm.getBucketNames().contains(bucket)) {
                try {
                    kvm.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.File).maxHistoryPerKey(1).build());
                } catch (io.nats.client.JetStreamApiException raced) {
                    // another instance made it first
                }
            }
            KeyValue store = connection.keyValue(bucket);
            store.watchAll(new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry entry) {
                    apply(entry);
                }

                @Override
                public void endOfData() {
                    // the stored values are applied; later changes arrive one by one
                }
            });
            kv = store;
            LOG.info(() -> "migration settings shared through JetStream bucket " + bucket);
        } catch (Exception e) {
            LOG.warning("JetStream bucket " + bucket + " not available (" + e.getMessage()
                                + "): migration changes apply to each instance only");
        }
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

    @Override
    public void close() {
        closed.set(true);
        Thread t = starter;
        if (t != null) {
            t.interrupt();
        }
    }
}
