package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>One key-value store holds three kinds of entries, by first byte: {@code i<identity>} → arrival;
 * {@code t<arrival><identity>} (the expiry index, ordered by time); {@code o<input>} → that input's
 * latest arrival.
 */
public final class DedupProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    /** Header carrying a record's identity from the curate step to this one; never leaves the topology. */
    public static final String IDENTITY_HEADER = "sluice.dedup.id";
    /** Header carrying a record's arrival time and the curate task it came through; never leaves the topology. */
    public static final String ARRIVAL_HEADER = "sluice.dedup.arrival";

    private static final byte IDENTITY = 'i';
    private static final byte EXPIRY = 't';
    private static final byte INPUT = 'o';
    // An input's progress is written when it moved this far: a lower stored value only keeps identities longer.
    private static final long PROGRESS_STEP_MS = 1000;

    private final String source;
    private final String storeName;
    private final Duration horizon;
    private final TopologyMetrics metrics;
    private final Duration idleTimeout;

    /**
     * @param source    the source, for metrics
     * @param storeName the state store's name (and so its changelog's)
     * @param horizon   the duplicate horizon
     * @param metrics   where to count
     * @param idleTimeout how long an input may be silent before it stops holding identities back
     */
    public DedupProcessorSupplier(
            String source, String storeName, Duration horizon, TopologyMetrics metrics, Duration idleTimeout) {
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
        private long expiredBefore = Long.MIN_VALUE;
        private long startedAt;

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
            Bytes identityKey = key(IDENTITY, identity);
            byte[] seen = store.get(identityKey);
            if (seen != null) {
                long seenArrival = ByteBuffer.wrap(seen).getLong();
                if (Math.abs(arrival - seenArrival) <= horizon.toMillis()) {
                    dropped.increment();
                    return;
                }
                store.delete(expiryKey(seenArrival, identity));
            }
            store.put(
                    identityKey,
                    ByteBuffer.allocate(Long.BYTES).putLong(arrival).array());
            store.put(expiryKey(arrival, identity), new byte[0]);
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

        /** Forgets the identities every active input has moved a horizon past. */
        private void expire() {
            long now = context.currentSystemTimeMs();
            if (now - startedAt < idleTimeout.toMillis()) {
                return; // every input must have had the chance to be heard from
            }
            long watermark = inputs.lowWatermark(now);
            if (watermark == Long.MIN_VALUE) {
                return;
            }
            long before = watermark - horizon.toMillis();
            if (expiredBefore != Long.MIN_VALUE && before - expiredBefore < PROGRESS_STEP_MS) {
                return;
            }
            List<Bytes> forgotten = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> old =
                    store.range(expiryKey(Long.MIN_VALUE, new byte[0]), expiryKey(before, new byte[0]))) {
                while (old.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = old.next();
                    forgotten.add(entry.key);
                }
            }
            for (Bytes entry : forgotten) {
                byte[] k = entry.get();
                byte[] identity = new byte[k.length - 1 - Long.BYTES];
                System.arraycopy(k, 1 + Long.BYTES, identity, 0, identity.length);
                store.delete(entry);
                store.delete(key(IDENTITY, identity));
            }
            expired.increment(forgotten.size());
            expiredBefore = before;
        }
    }

    private static Bytes key(byte kind, byte[] rest) {
        return Bytes.wrap(
                ByteBuffer.allocate(1 + rest.length).put(kind).put(rest).array());
    }

    /** The expiry index key: the arrival time with its sign bit flipped, so that byte order is time order. */
    private static Bytes expiryKey(long arrival, byte[] identity) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + identity.length)
                .put(EXPIRY)
                .putLong(arrival ^ Long.MIN_VALUE)
                .put(identity)
                .array());
    }
}
