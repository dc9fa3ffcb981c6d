package io.sluice.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.sluice.config.AggregateConfig;
import io.sluice.schemas.CuratedFields;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The local half of a local-global aggregation: combines the rows one task reads into a partial
 * state per group and window, and every {@code preAggregate} interval of wall-clock time sends each
 * partial to its group's partition, where {@link WindowAggregateProcessorSupplier} merges it. The
 * aggregate's repartition topic then carries one record per group and window per interval instead
 * of one per row.
 *
 * <p>Partials wait in a changelogged store, and a partial is removed in the same transaction that
 * sends it: under exactly-once a commit between two sends leaves the unsent partials in the store's
 * changelog, so a crash neither loses nor repeats a row. Partials sent record the latest timestamp
 * of their rows, so stream time at the aggregate moves as it did with single rows, at most one
 * interval later.
 *
 * <p>Lateness is decided as it is for single rows. A row whose window has closed in this task's own
 * stream time (the latest record timestamp it has seen) is late here, and counted so; the aggregate's
 * stream time can only be later. Partials go out in order of window start, and a row's timestamp is
 * never after its window's end, so a partial holding only rows that were on time here is not made
 * late by the partials sent with it: a replay that combines hours of history into one interval
 * counts exactly the rows that row-by-row aggregation would (checked by AggregateEndToEndTest).
 */
final class PartialAggregateProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    /** Header marking a record of the repartition topic as a partial state, not a row. */
    static final String PARTIAL_HEADER = "sluice.partial";

    private static final byte[] PARTIAL_V1 = {1};

    private final AggregateConfig aggregate;
    private final String storeName;
    private final SchemaRegistry registry;
    private final AtomicLong pending;
    private final Counter lateRecords;

    PartialAggregateProcessorSupplier(
            AggregateConfig aggregate, String storeName, TopologyMetrics metrics, SchemaRegistry registry) {
        this.aggregate = aggregate;
        this.storeName = storeName;
        this.registry = registry;
        this.pending = metrics.pendingPartials(aggregate.name());
        this.lateRecords = metrics.lateRecordsDropped(aggregate.name());
    }

    /** The group key of a row: a JSON array of its group-by values, typed as in the row. */
    static String groupKey(List<String> groupBy, JsonNode row) {
        ArrayNode key = JsonNodeFactory.instance.arrayNode();
        groupBy.forEach(f -> key.add(row.has(f) ? row.get(f) : JsonNodeFactory.instance.nullNode()));
        return key.toString();
    }

    /** The window starts a row of this event time belongs to, latest first. */
    static List<Long> windowStarts(AggregateConfig aggregate, long eventTime) {
        long size = aggregate.size().toMillis();
        long advance = aggregate.advance().toMillis();
        List<Long> starts = new ArrayList<>((int) (size / advance));
        for (long start = eventTime - Math.floorMod(eventTime, advance); start + size > eventTime; start -= advance) {
            starts.add(start);
        }
        return starts;
    }

    /** A row's event time: its {@code __event_time}, or the record's timestamp when it has none. */
    static long eventTime(JsonNode row, long recordTimestamp) {
        JsonNode rowTime = row.get(CuratedFields.EVENT_TIME);
        return rowTime != null && rowTime.canConvertToLong() ? rowTime.longValue() : recordTimestamp;
    }

    /**
     * A number, then a state: the value of a partial record (the number is its window start) and of a waiting
     * partial (the latest timestamp of its rows).
     */
    static byte[] withState(long leading, byte[] state) {
        return ByteBuffer.allocate(Long.BYTES + state.length)
                .putLong(leading)
                .put(state)
                .array();
    }

    /** The number before the state in {@link #withState}'s bytes. */
    static long leading(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    /** The state in {@link #withState}'s bytes. */
    static byte[] state(byte[] value) {
        return Arrays.copyOfRange(value, Long.BYTES, value.length);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // In memory and cached: a partial changes with every row and lives one interval; the cache folds those
        // changes into one changelog record per partial and commit (a tombstone once it was sent).
        // A partial's state is encoded when the store is flushed before a commit, not at every row it takes in: its
        // distinct-count sketch grows with the rows, so encoding it per row cost more than everything else here.
        return Set.of(DeferredWrites.over(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(storeName), Serdes.Bytes(), Serdes.ByteArray())
                        .withCachingEnabled()));
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new PartialAggregateProcessor();
    }

    /** A waiting partial, decoded: its state and the latest timestamp of its rows; encodes itself when stored. */
    private static final class Live implements java.util.function.Supplier<byte[]> {
        private final AggregateState state;
        private long latest;

        Live(AggregateState state, long latest) {
            this.state = state;
            this.latest = latest;
        }

        @Override
        public byte[] get() {
            return withState(latest, state.bytes());
        }
    }

    private final class PartialAggregateProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<Bytes, byte[]> partials;
        private DeferredWrites deferred;
        private CuratedAvroReader reader;
        private Cancellable punctuation;
        // The latest record timestamp this task has seen: the aggregate's stream time is at least this.
        private long streamTime = Long.MIN_VALUE;
        private long held;
        // The waiting partials this task has decoded or made since the last send.
        private final Map<Bytes, Live> live = new HashMap<>();

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.partials = context.getStateStore(storeName);
            this.deferred = DeferredWrites.of(partials);
            // The grouped and measured columns and the event time: the rest of a wide row is skipped undecoded.
            List<String> read = new ArrayList<>(aggregate.groupBy());
            aggregate.measures().stream()
                    .map(AggregateConfig.Measure::field)
                    .filter(java.util.Objects::nonNull)
                    .forEach(read::add);
            read.add(CuratedFields.EVENT_TIME);
            this.reader = CuratedAvroReader.projecting(registry, read);
            // Kafka Streams initialises the same processor again when it revives a task after a failure: what was
            // decoded then may hold rows of the aborted transaction, so only the restored store counts.
            live.clear();
            held = 0;
            try (KeyValueIterator<Bytes, byte[]> restored = partials.all()) {
                while (restored.hasNext()) {
                    restored.next();
                    held++;
                }
            }
            pending.addAndGet(held);
            this.punctuation =
                    context.schedule(aggregate.preAggregate(), PunctuationType.WALL_CLOCK_TIME, now -> send());
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            JsonNode row = reader.readTree(record.value());
            byte[] group = groupKey(aggregate.groupBy(), row).getBytes(StandardCharsets.UTF_8);
            streamTime = Math.max(streamTime, record.timestamp());
            long closeTime = streamTime - aggregate.grace().toMillis();
            for (long start : windowStarts(aggregate, eventTime(row, record.timestamp()))) {
                if (start + aggregate.size().toMillis() <= closeTime) {
                    lateRecords.increment();
                    continue;
                }
                // The start with its sign bit flipped: byte order is time order, so partials leave oldest first.
                Bytes key = Bytes.wrap(ByteBuffer.allocate(Long.BYTES + group.length)
                        .putLong(start ^ Long.MIN_VALUE)
                        .put(group)
                        .array());
                Live partial = live.get(key);
                if (partial == null) {
                    byte[] stored = partials.get(key); // restored from the changelog, or flushed at a commit
                    if (stored == null) {
                        partial = new Live(AggregateState.empty(aggregate.measures()), record.timestamp());
                        held++;
                        pending.incrementAndGet();
                    } else {
                        partial = new Live(AggregateState.read(aggregate.measures(), state(stored)), leading(stored));
                    }
                    live.put(key, partial);
                }
                partial.state.add(row);
                partial.latest = Math.max(partial.latest, record.timestamp());
                deferred.defer(key, partial);
            }
        }

        /** Sends every partial to its group's partition and forgets it. */
        private void send() {
            if (held == 0) {
                return;
            }
            List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = partials.all()) {
                it.forEachRemaining(all::add);
            }
            for (KeyValue<Bytes, byte[]> partial : all) {
                byte[] key = partial.key.get();
                long start = ByteBuffer.wrap(key).getLong() ^ Long.MIN_VALUE;
                byte[] group = Arrays.copyOfRange(key, Long.BYTES, key.length);
                RecordHeaders headers = new RecordHeaders();
                headers.add(PARTIAL_HEADER, PARTIAL_V1);
                context.forward(
                        new Record<>(group, withState(start, state(partial.value)), leading(partial.value), headers));
                partials.delete(partial.key);
            }
            pending.addAndGet(-held);
            held = 0;
            live.clear();
        }

        @Override
        public void close() {
            if (punctuation != null) {
                punctuation.cancel();
            }
            pending.addAndGet(-held);
        }
    }
}
