package gaming.gateway.idempotency;

import gaming.gateway.nats.NatsClient;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The records, in one JetStream KV bucket shared by every gateway instance. Opened lazily: the
 * bucket is created when missing, at start-up ({@link #openInBackground()}) or at the first
 * request that needs it, since NATS or JetStream may not be there when the gateway starts. After a
 * failed open, requests fail at once for {@link #RETRY_OPEN} instead of each waiting for the store
 * timeout; after a failed operation the bucket is opened again on the next request (it may have
 * been deleted, or JetStream restarted).
 *
 * <p>Operations: create (only if absent: the in-flight lock), get, update by revision (store the
 * answer, take an expired lock over), delete by revision (release the lock).
 */
public final class IdempotencyStore {
    private static final System.Logger LOGGER = System.getLogger(IdempotencyStore.class.getName());
    /** How long after a failed open requests fail without trying again. */
    static final Duration RETRY_OPEN = Duration.ofSeconds(1);
    /** JetStream: wrong last sequence (the key exists, or the revision moved on). */
    private static final int WRONG_LAST_SEQUENCE = 10071;
    /** JetStream: stream not found (the bucket does not exist). */
    private static final int STREAM_NOT_FOUND = 10059;

    private final NatsClient nats;
    private final IdempotencySettings settings;
    private final KeyValueOptions options;
    private volatile KeyValue kv;
    private volatile long retryOpenAt;
    private volatile String lastFailure = "";

    private IdempotencyStore(NatsClient nats, IdempotencySettings settings) {
        this.nats = nats;
        this.settings = settings;
        this.options = KeyValueOptions.builder().jsRequestTimeout(settings.storeTimeout()).build();
    }

    /** The store of {@code settings.bucket()} on {@code nats}; nothing is opened yet. */
    public static IdempotencyStore create(NatsClient nats, IdempotencySettings settings) {
        return new IdempotencyStore(nats, settings);
    }

    /** The settings the store was made with. */
    public IdempotencySettings settings() {
        return settings;
    }

    /**
     * Opens (and if needed creates) the bucket on a virtual thread once NATS is connected, waiting
     * at most 60 s for the connection; a failure is logged and left to the first request.
     */
    public void openInBackground() {
        Thread.ofVirtual().name("idempotency-open").start(() -> {
            for (int i = 0; i < 600 && !nats.connected(); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                kv();
            } catch (StoreException e) {
                LOGGER.log(Level.WARNING, "idempotency bucket " + settings.bucket() + " not open yet: " + e.getMessage());
            }
        });
    }

    /** Whether the bucket is open now (it opens in the background at start-up, or at the next request). */
    public boolean isOpen() {
        return kv != null;
    }

    /** The open bucket, opening (and creating) it first if needed. */
    private KeyValue kv() throws StoreException {
        KeyValue open = kv;
        if (open != null) {
            return open;
        }
        return open();
    }

    private synchronized KeyValue open() throws StoreException {
        if (kv != null) {
            return kv;
        }
        if (System.nanoTime() - retryOpenAt < 0) {
            throw StoreException.backingOff(lastFailure);
        }
        try {
            ensureBucket(nats.keyValueManagement(options));
            kv = nats.keyValue(settings.bucket(), options);
            return kv;
        } catch (Exception e) {
            StoreException failure = StoreException.failed("cannot open idempotency bucket " + settings.bucket(), e);
            lastFailure = failure.getMessage();
            retryOpenAt = System.nanoTime() + RETRY_OPEN.toNanos();
            throw failure;
        }
    }

    private void ensureBucket(KeyValueManagement kvm) throws Exception {
        try {
            KeyValueStatus status = kvm.getStatus(settings.bucket());
            if (!status.getTtl().equals(settings.maxAge())) {
                LOGGER.log(Level.WARNING, "idempotency bucket " + settings.bucket() + " keeps records for "
                        + status.getTtl() + ", not the configured " + settings.maxAge() + "; left as it is");
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            // creating with an identical configuration is idempotent, so instances racing here are fine
            kvm.create(KeyValueConfiguration.builder()
                               .name(settings.bucket())
                               .description("http-nats-gateway idempotency records")
                               .maxHistoryPerKey(1)
                               .ttl(settings.maxAge())
                               .replicas(settings.replicas())
                               .storageType(StorageType.File)
                               .build());
            LOGGER.log(Level.INFO, "created idempotency bucket " + settings.bucket() + " (max age " + settings.maxAge()
                    + ", replicas " + settings.replicas() + ")");
        }
    }

    /**
     * Creates {@code key} only if the bucket holds no message for it: an update expecting revision 0
     * (one round trip; jnats' own {@code create} adds a {@code get} when the key exists). Its
     * revision, or -1 when the key exists, also as a delete marker: then {@link #createOverDeleted}.
     */
    long create(String key, byte[] value) throws StoreException {
        return update(key, value, 0);
    }

    /** Creates {@code key} if absent or deleted (jnats {@code create}); its revision, or -1 when it exists. */
    long createOverDeleted(String key, byte[] value) throws StoreException {
        KeyValue bucket = kv();
        try {
            return bucket.create(key, value);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                return -1;
            }
            throw failed("create", e);
        } catch (Exception e) {
            throw failed("create", e);
        }
    }

    /** The entry of {@code key}, or null when there is none (never written, deleted, expired). */
    KeyValueEntry get(String key) throws StoreException {
        KeyValue bucket = kv();
        try {
            return bucket.get(key);
        } catch (Exception e) {
            throw failed("get", e);
        }
    }

    /** Replaces {@code key} if still at {@code revision}; the new revision, or -1 when it moved on. */
    long update(String key, byte[] value, long revision) throws StoreException {
        KeyValue bucket = kv();
        try {
            return bucket.update(key, value, revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                return -1;
            }
            throw failed("update", e);
        } catch (Exception e) {
            throw failed("update", e);
        }
    }

    /** Deletes {@code key} if still at {@code revision}; false when it moved on. */
    boolean delete(String key, long revision) throws StoreException {
        KeyValue bucket = kv();
        try {
            bucket.delete(key, revision);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                return false;
            }
            throw failed("delete", e);
        } catch (Exception e) {
            throw failed("delete", e);
        }
    }

    private StoreException failed(String operation, Exception e) {
        kv = null; // open again next time: the bucket may be gone, or JetStream restarted
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return StoreException.failed("idempotency store " + operation + " failed", e);
    }
}
