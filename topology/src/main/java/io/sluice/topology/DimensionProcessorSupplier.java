package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import io.sluice.config.DimensionConfig;
import io.sluice.dimensions.ApplyResult;
import io.sluice.dimensions.ChangeCounts;
import io.sluice.dimensions.ChangeOp;
import io.sluice.dimensions.DimensionChange;
import io.sluice.dimensions.DimensionHistory;
import io.sluice.dimensions.DimensionSequence;
import io.sluice.dimensions.Emission;
import io.sluice.dimensions.KeyHistory;
import io.sluice.dimensions.KeyHistoryCodec;
import io.sluice.schemas.CuratedFields;
import io.sluice.schemas.DeadLetter;
import io.sluice.serdes.CuratedRecordCodec;
import io.sluice.serdes.DeadLetterCodec;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.avro.CuratedAvroWriter;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one table's SCD Type 2 history: applies each curated change (keyed by natural key) to the
 * key's state in the store {@code dim-<table>-store}, and publishes what changed — version rows to
 * {@code dim.<table>.history} keyed by {@code scd_id} (a retracted version as a tombstone whose header
 * {@link CuratedFields#TOMBSTONE_EVENT_TIME_HEADER} names the version's {@code valid_from}, for the lake), the key's
 * current row to {@code dim.<table>.current} keyed by natural key (a tombstone after a delete). The
 * state is RocksDB with a changelog and is bounded by the dimension's retention, so a restored pod
 * rebuilds the same history and memory does not grow with it.
 */
final class DimensionProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DimensionProcessorSupplier.class);
    private static final Set<String> METADATA =
            Set.of(CuratedFields.OP, CuratedFields.DELETED, CuratedFields.EVENT_TIME, CuratedFields.SOURCE_SEQ);

    private final DimensionConfig dimension;
    private final String storeName;
    private final TopologyMetrics metrics;
    private final SchemaRegistry registry;
    private final String historySink;
    private final String currentSink;
    private final String deadLetterSink;
    private final DimensionHistory history;

    DimensionProcessorSupplier(
            DimensionConfig dimension,
            TopologyMetrics metrics,
            SchemaRegistry registry,
            String historySink,
            String currentSink,
            String deadLetterSink) {
        this.dimension = dimension;
        this.storeName = TopologyNames.dimensionStore(dimension.table());
        this.metrics = metrics;
        this.registry = registry;
        this.historySink = historySink;
        this.currentSink = currentSink;
        this.deadLetterSink = deadLetterSink;
        this.history = new DimensionHistory(dimension.spec());
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName), Serdes.String(), Serdes.ByteArray()));
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new DimensionProcessor();
    }

    private final class DimensionProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private final KeyHistoryCodec codec = new KeyHistoryCodec();
        private final Map<String, Counter> events = new HashMap<>();
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<String, byte[]> store;
        private CuratedAvroReader reader;
        private CuratedAvroWriter writer;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.reader = new CuratedAvroReader(registry);
            this.writer = new CuratedAvroWriter(registry);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            DimensionChange change;
            ApplyResult result;
            try {
                change = change(reader.read(record.value()));
                byte[] stored = store.get(key);
                KeyHistory state = stored == null ? null : codec.decode(stored);
                result = history.apply(state, change);
            } catch (IllegalArgumentException e) {
                // The messages name columns and settings, never values.
                reject(record, e.getMessage());
                return;
            }
            if (result.stateChanged()) {
                store.put(key, codec.encode(result.state()));
            }
            for (Emission emission : result.emissions()) {
                byte[] value = emission.isRetraction()
                        ? null
                        : writer.write(
                                TopologyNames.dimensionHistory(dimension.table()),
                                TopologyNames.dimensionHistoryRecordName(dimension.table()),
                                "SCD Type 2 history of " + dimension.table()
                                        + ": one row per version, upserted by scd_id.",
                                Map.of(),
                                historyRow(emission.row()));
                RecordHeaders headers = new RecordHeaders();
                if (emission.isRetraction()) {
                    headers.add(
                            CuratedFields.TOMBSTONE_EVENT_TIME_HEADER,
                            Long.toString(emission.validFromMs()).getBytes(StandardCharsets.US_ASCII));
                }
                context.forward(
                        new Record<>(
                                emission.scdId().getBytes(StandardCharsets.UTF_8), value, record.timestamp(), headers),
                        historySink);
            }
            if (result.currentChanged()) {
                byte[] value = result.currentRow() == null
                        ? null
                        : writer.write(
                                TopologyNames.dimensionCurrent(dimension.table()),
                                TopologyNames.dimensionCurrentRecordName(dimension.table()),
                                "Current state of " + dimension.table()
                                        + " by natural key, with its version's SCD2 columns.",
                                Map.of(),
                                result.currentRow());
                context.forward(
                        new Record<>(
                                CuratedRecordCodec.json(change.naturalKey()),
                                value,
                                record.timestamp(),
                                new RecordHeaders()),
                        currentSink);
            }
            count(result.counts());
        }

        private DimensionChange change(Map<String, Object> row) {
            String op = (String) row.get(CuratedFields.OP);
            Object time = row.get(CuratedFields.EVENT_TIME);
            String sequence = (String) row.get(CuratedFields.SOURCE_SEQ);
            if (op == null || !(time instanceof Long)) {
                throw new IllegalArgumentException(
                        "dimension '" + dimension.table() + "': the curated row has no __op or __event_time");
            }
            Map<String, Object> columns = new LinkedHashMap<>(row);
            columns.keySet().removeAll(METADATA);
            Map<String, Object> naturalKey = new LinkedHashMap<>();
            for (String column : dimension.spec().keyColumns()) {
                naturalKey.put(column, columns.get(column));
            }
            return new DimensionChange(
                    ChangeOp.ofCode(op), DimensionSequence.ofCurated(sequence), (Long) time, columns, naturalKey);
        }

        /** A version row with the event time the lake partitions it by: the version's start. */
        private Map<String, Object> historyRow(Map<String, Object> version) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(
                    CuratedFields.EVENT_TIME,
                    version.get(dimension.spec().naming().validFrom()));
            row.putAll(version);
            return row;
        }

        private void count(ChangeCounts counts) {
            add("version_opened", counts.versionsOpened());
            add("version_closed", counts.versionsClosed());
            add("version_retracted", counts.versionsRetracted());
            add("out_of_order_correction", counts.outOfOrderCorrections());
            add("duplicate_ignored", counts.duplicatesIgnored());
            add("delete", counts.deletes());
            add("too_old", counts.tooOld());
        }

        private void add(String event, int n) {
            if (n > 0) {
                events.computeIfAbsent(event, e -> metrics.dimensionEvents(dimension.table(), e))
                        .increment(n);
            }
        }

        private void reject(Record<byte[], byte[]> record, String reason) {
            RecordMetadata where = context.recordMetadata().orElseThrow();
            LOG.warn(
                    "dimension {}: rejected {}-{}@{}: {}",
                    dimension.table(),
                    where.topic(),
                    where.partition(),
                    where.offset(),
                    reason);
            add("rejected", 1);
            DeadLetter entry = DeadLetter.newBuilder()
                    .setSource(dimension.source())
                    .setTopic(where.topic())
                    .setPartition(where.partition())
                    .setOffset(where.offset())
                    .setTimestamp(record.timestamp())
                    .setStage("dimension")
                    .setReason("rejected-change")
                    .setErrorClass(IllegalArgumentException.class.getSimpleName())
                    .setError(reason)
                    .setRecordedAt(System.currentTimeMillis())
                    .build();
            context.forward(
                    new Record<byte[], byte[]>(null, DeadLetterCodec.encode(entry), record.timestamp()),
                    deadLetterSink);
            metrics.deadLettered(dimension.source(), "dimension", "rejected-change")
                    .increment();
        }
    }
}
