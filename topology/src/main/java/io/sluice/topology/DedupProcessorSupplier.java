package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Drops a record whose identity was seen within the duplicate horizon, in arrival time: the horizon
 * counts from when each copy arrived (the input record's timestamp), so a retry is dropped however
 * late its event is. The identity comes from the curate step in a header (masked values only).
 *
 * <p>Identities are forgotten once every input has moved a horizon past them: the low watermark is
 * the least of the inputs' (curate tasks', one per source partition) latest arrival times, so a
 * partition drained slower than the others after downtime keeps the identities its retries need.
 * An input silent for the idle timeout of this process's clock no longer holds the watermark back,
 * so state stays bounded by about one horizon of arrivals. Inputs become known as their records
 * come, so for one idle timeout after a task starts nothing is forgotten: a partition draining
 * slower than the others must first be heard from. Under exactly-once a record reprocessed
 * after a crash finds the store as it was before it.
 *
 * <p>Forgetting is a sweep: every {@value #SWEEP_EVERY} records, the next {@value #SWEEP_BATCH} entries in key
 * order are read and the identities a horizon behind the low watermark deleted, so a full pass takes a
 * quarter of the records the store holds, and the store about a third more than one horizon of
 * arrivals. Each identity costs one store write and, when forgotten, one delete — one changelog record
 * each; an expiry index ordered by time would double both, and the changelog is most of what the
 * brokers write per record.
 *
 * <p>One key-value store holds two kinds of entries, by first byte: {@code i<identity>} → arrival and when it was
 * stored (this process's clock; earlier versions stored the arrival only);
 * {@code o<input>} → that input's latest arrival. Entries {@code t<arrival><identity>}, the expiry index
 * of earlier versions, are deleted as the sweep meets them.
 */
public final class DedupProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    /** Header carrying a record's identity from the curate step to this one; never leaves the topology. */
    public static final String IDENTITY_HEADER = "sluice.dedup.id";
    /** Header carrying a record's arrival time and the curate task it came through; never leaves the topology. */
    public static final String ARRIVAL_HEADER = "sluice.dedup.arrival";

    private static final byte IDENTITY = 'i';
    private static final byte LEGACY_EXPIRY = 't';
    /** Records between two sweep steps, and entries read by one: four entries per record. */
    static final int SWEEP_EVERY = 8;

    static final int SWEEP_BATCH = 32;
    // Inclusive range bounds covering the i, o and t entries: no stored key is exactly "u".
    private static final Bytes SWEEP_START = Bytes.wrap(new byte[] {IDENTITY});
    private static final Bytes SWEEP_END = Bytes.wrap(new byte[] {'u'});
    private static final byte INPUT = 'o';
    // An input's progress is written when it moved this far: a lower stored value only keeps identities longer.
    private static final long PROGRESS_STEP_MS = 1000;

    private final String source;
    private final String storeName;
    private final Duration horizon;
    private final TopologyMetrics metrics;
    private final Duration idleTimeout;
    private final boolean keyByIdentity;

    /**
     * @param source    the source, for metrics
     * @param storeName the state store's name (and so its changelog's)
     * @param horizon   the duplicate horizon
     * @param metrics   where to count
     * @param idleTimeout how long an input may be silent before it stops holding identities back
     */
    public DedupProcessorSupplier(
            String source, String storeName, Duration horizon, TopologyMetrics metrics, Duration idleTimeout) {
        this(source, storeName, horizon, metrics, idleTimeout, false);
    }

    /**
     * @param keyByIdentity whether a record leaves keyed by its identity (field identities, which arrive keyed by
     *                      their route field), rather than with the key it came with
     */
    public DedupProcessorSupplier(
            String source,
            String storeName,
            Duration horizon,
            TopologyMetrics metrics,
            Duration idleTimeout,
            boolean keyByIdentity) {
        this.keyByIdentity = keyByIdentity;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.source = Objects.requireNonNull(source, "source");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.horizon = Objects.requireNonNull(horizon, "horizon");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (horizon.isZero() || horizon.isNegative()) {
            throw new IllegalArgumentException("the duplicate horizon must be positive");
        }
    }

    /** The value of {@link #ARRIVAL_HEADER}: the arrival time and the input it came through. */
    public static byte[] arrivalHeader(long arrival, String input) {
        byte[] name = input.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + name.length)
                .putLong(arrival)
                .put(name)
                .array();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName), Serdes.Bytes(), Serdes.ByteArray()));
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new DedupProcessor();
    }

    private final class DedupProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<Bytes, byte[]> store;
        private Counter dropped;
        private Counter expired;
        private InputProgress inputs;
        private long startedAt;
        private Bytes sweepFrom = SWEEP_START;
        private int sinceSweep;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.dropped = metrics.duplicatesDropped(source);
            this.expired = metrics.dedupIdentitiesExpired(source);
            this.inputs = new InputProgress(idleTimeout.toMillis());
            long now = context.currentSystemTimeMs();
            this.startedAt = now;
            try (KeyValueIterator<Bytes, byte[]> stored =
                    store.prefixScan(new byte[] {INPUT}, Serdes.ByteArray().serializer())) {
                stored.forEachRemaining(kv -> inputs.restore(
                        new String(kv.key.get(), 1, kv.key.get().length - 1, StandardCharsets.UTF_8),
                        ByteBuffer.wrap(kv.value).getLong(),
                        now));
            }
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Header identityHeader = record.headers().lastHeader(IDENTITY_HEADER);
            Header arrivalHeader = record.headers().lastHeader(ARRIVAL_HEADER);
            Record<byte[], byte[]> clean = record.withHeaders(new RecordHeaders());
            if (identityHeader == null) {
                context.forward(clean); // nothing to compare: never drop what cannot be identified
                return;
            }
            long arrival;
            String input;
            if (arrivalHeader != null && arrivalHeader.value().length >= Long.BYTES) {
                ByteBuffer header = ByteBuffer.wrap(arrivalHeader.value());
                arrival = header.getLong();
                input = new String(
                        arrivalHeader.value(),
                        Long.BYTES,
                        arrivalHeader.value().length - Long.BYTES,
                        StandardCharsets.UTF_8);
            } else {
                arrival = record.timestamp(); // written by a Sluice that stamped no arrival: its record time was the
                // arrival
                input = "";
            }
            advance(input, arrival);
            byte[] identity = identityHeader.value();
            if (keyByIdentity) {
                clean = clean.withKey(identity); // copies of an event share a curated partition
            }
            Bytes identityKey = key(IDENTITY, identity);
            byte[] seen = store.get(identityKey);
            if (seen != null) {
                long seenArrival = ByteBuffer.wrap(seen).getLong();
                if (Math.abs(arrival - seenArrival) <= horizon.toMillis()) {
                    dropped.increment();
                    return;
                }
            }
            // The arrival, then when this process stored it: see expire().
            store.put(
                    identityKey,
                    ByteBuffer.allocate(2 * Long.BYTES)
                            .putLong(arrival)
                            .putLong(context.currentSystemTimeMs())
                            .array());
            context.forward(clean);
            expire();
        }

        private void advance(String input, long arrival) {
            long before = inputs.stored(input);
            inputs.observe(input, arrival, context.currentSystemTimeMs());
            if (before == Long.MIN_VALUE || arrival - before >= PROGRESS_STEP_MS) {
                store.put(
                        key(INPUT, input.getBytes(StandardCharsets.UTF_8)),
                        ByteBuffer.allocate(Long.BYTES).putLong(arrival).array());
                inputs.stored(input, arrival);
            }
        }

        /** Forgets the identities every active input has moved a horizon past, a sweep step at a time. */
        private void expire() {
            if (++sinceSweep < SWEEP_EVERY) {
                return;
            }
            sinceSweep = 0;
            long now = context.currentSystemTimeMs();
            if (now - startedAt < idleTimeout.toMillis()) {
                return; // every input must have had the chance to be heard from
            }
            long watermark = inputs.lowWatermark(now);
            if (watermark == Long.MIN_VALUE) {
                return;
            }
            long before = watermark - horizon.toMillis();
            // An identity also stays one idle timeout of this process's clock after it was stored. A copy read in its
            // home partition is deduplicated at once while copies from other partitions come through the repartition
            // topic a commit later, so a task may race through its own partition's arrivals before it has heard of a
            // slower partition at all; within the idle timeout every partition with traffic has been heard from.
            long storedBefore = now - idleTimeout.toMillis();
            List<Bytes> forgotten = new ArrayList<>();
            int identities = 0;
            Bytes last = null;
            boolean more;
            try (KeyValueIterator<Bytes, byte[]> entries = store.range(sweepFrom, SWEEP_END)) {
                for (int read = 0; read < SWEEP_BATCH && entries.hasNext(); read++) {
                    KeyValue<Bytes, byte[]> entry = entries.next();
                    last = entry.key;
                    byte kind = entry.key.get()[0];
                    if (kind == IDENTITY && forgettable(entry.value, before, storedBefore)) {
                        forgotten.add(entry.key);
                        identities++;
                    } else if (kind == LEGACY_EXPIRY) {
                        forgotten.add(entry.key);
                    }
                }
                more = entries.hasNext();
            }
            forgotten.forEach(store::delete);
            expired.increment(identities);
            // The next step starts just after the last entry read (a zero byte appended is the next key), or over.
            sweepFrom =
                    more && last != null ? Bytes.wrap(Arrays.copyOf(last.get(), last.get().length + 1)) : SWEEP_START;
        }
    }

    /** Whether an identity's entry is a horizon behind and was stored an idle timeout ago (entries of 8 bytes: long ago). */
    private static boolean forgettable(byte[] value, long arrivedBefore, long storedBefore) {
        ByteBuffer entry = ByteBuffer.wrap(value);
        return entry.getLong() < arrivedBefore && (value.length < 2 * Long.BYTES || entry.getLong() < storedBefore);
    }

    private static Bytes key(byte kind, byte[] rest) {
        return Bytes.wrap(
                ByteBuffer.allocate(1 + rest.length).put(kind).put(rest).array());
    }
}
