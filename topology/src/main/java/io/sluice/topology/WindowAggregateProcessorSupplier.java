package io.sluice.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.sluice.config.AggregateConfig;
import io.sluice.schemas.ColumnValues;
import io.sluice.schemas.CuratedFields;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.avro.CuratedAvroWriter;
import io.sluice.serdes.registry.SchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Event-time windowed measures per group (tumbling or hopping windows). A record belongs to every
 * window that contains its event time; a window takes records until its end plus the grace period
 * has passed in stream time, after which a record for it is late: counted in
 * {@code sluice_late_records_dropped_total{aggregate}} and left out of the aggregate (it still
 * reached the curated topic and the lake). Results are emitted once, when the window closes
 * (default), or on every update ({@code emit: early}). Stream time and how far results were
 * emitted are kept in a store, so a restart neither loses nor repeats a final result.
 */
final class WindowAggregateProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBSERVED = "observed-stream-time";
    private static final String EMITTED = "emitted-until";
    /** Header of a record that only advances stream time (the end of a finite input), never aggregated. */
    static final String WATERMARK_HEADER = "sluice.watermark";

    private final AggregateConfig aggregate;
    private final String windowStoreName;
    private final String progressStoreName;
    private final TopologyMetrics metrics;
    private final SchemaRegistry registry;
    private final Map<String, String> columnDocs;

    WindowAggregateProcessorSupplier(AggregateConfig aggregate, TopologyMetrics metrics, SchemaRegistry registry) {
        this.aggregate = aggregate;
        this.windowStoreName = TopologyNames.aggregateStore(aggregate.name());
        this.progressStoreName = TopologyNames.aggregateProgressStore(aggregate.name());
        this.metrics = metrics;
        this.registry = registry;
        Map<String, String> docs = new HashMap<>();
        docs.put(CuratedFields.EVENT_TIME, "Window start in epoch milliseconds (UTC); lake partitions use it.");
        docs.put("window_start", "Window start, ISO-8601 UTC (inclusive).");
        docs.put("window_end", "Window end, ISO-8601 UTC (exclusive).");
        aggregate.groupBy().forEach(g -> docs.put(g, "Group-by column " + g + " (masked value)."));
        this.columnDocs = Map.copyOf(docs);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        java.time.Duration retention = aggregate.size().plus(aggregate.grace()).plus(aggregate.advance());
        // Cached: a group's window is updated by each of its records, and stream time by nearly every
        // record; the cache folds those updates into one store write and changelog record per commit.
        return Set.of(
                Stores.windowStoreBuilder(
                                Stores.persistentWindowStore(windowStoreName, retention, aggregate.size(), false),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(progressStoreName), Serdes.String(), Serdes.Long())
                        .withCachingEnabled());
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new WindowAggregateProcessor();
    }

    private final class WindowAggregateProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private WindowStore<String, byte[]> windows;
        private KeyValueStore<String, Long> progress;
        private Counter late;
        private Counter emits;
        private CuratedAvroReader reader;
        private CuratedAvroWriter writer;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.windows = context.getStateStore(windowStoreName);
            this.progress = context.getStateStore(progressStoreName);
            this.late = metrics.lateRecordsDropped(aggregate.name());
            this.emits = metrics.windowEmits(aggregate.name());
            this.reader = new CuratedAvroReader(registry);
            this.writer = new CuratedAvroWriter(registry);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            // Stream time follows record timestamps, which the gate keeps at or before each record's arrival; the
            // window
            // follows the row's event time, which may be a little ahead of it (a device clock within the source's
            // bounds). A partial's timestamp is the latest of its rows'.
            long streamTime = record.timestamp();
            boolean watermark = record.headers().lastHeader(WATERMARK_HEADER) != null;
            boolean partial = record.headers().lastHeader(PartialAggregateProcessorSupplier.PARTIAL_HEADER) != null;
            // Read before anything is stored: a record that cannot be read must not have moved stream time.
            JsonNode row = watermark || partial ? null : reader.readTree(record.value());
            AggregateState partialState = partial
                    ? AggregateState.read(aggregate.measures(), PartialAggregateProcessorSupplier.state(record.value()))
                    : null;
            Long observedBefore = progress.get(OBSERVED);
            long observed = observedBefore == null ? streamTime : Math.max(observedBefore, streamTime);
            progress.put(OBSERVED, observed);
            long closeTime = observed - aggregate.grace().toMillis();
            if (watermark) {
                if (!aggregate.emitEarly()) {
                    emitClosedWindows(closeTime);
                }
                return;
            }
            String group = new String(record.key(), StandardCharsets.UTF_8);
            if (partial) {
                long start = PartialAggregateProcessorSupplier.leading(record.value());
                update(group, start, closeTime, partialState.rows(), stored -> stored.merge(partialState));
            } else {
                for (long start : PartialAggregateProcessorSupplier.windowStarts(
                        aggregate, PartialAggregateProcessorSupplier.eventTime(row, streamTime))) {
                    update(group, start, closeTime, 1, stored -> stored.add(row));
                }
            }
            if (!aggregate.emitEarly()) {
                emitClosedWindows(closeTime);
            }
        }

        /** Applies rows to a group's window, or counts them late when the window has closed. */
        private void update(String group, long start, long closeTime, long rows, Consumer<AggregateState> change) {
            if (start + aggregate.size().toMillis() <= closeTime) {
                late.increment(rows);
                return;
            }
            byte[] stored = windows.fetch(group, start);
            AggregateState state = stored == null
                    ? AggregateState.empty(aggregate.measures())
                    : AggregateState.read(aggregate.measures(), stored);
            change.accept(state);
            windows.put(group, state.bytes(), start);
            if (aggregate.emitEarly()) {
                emit(group, start, state);
            }
        }

        /** Emits, once, every window whose end is at or before the close time. */
        private void emitClosedWindows(long closeTime) {
            Long emittedUntil = progress.get(EMITTED);
            long size = aggregate.size().toMillis();
            long from = emittedUntil == null ? Long.MIN_VALUE / 2 : emittedUntil - size + 1;
            long to = closeTime - size;
            // Windows start on multiples of the advance, so the closed set grows only when the close
            // time passes one's end; between those, a time-range scan of the store (every group's
            // windows in the segment, per record) would find nothing.
            long lastClosedStart = to - Math.floorMod(to, aggregate.advance().toMillis());
            if (to < from || (emittedUntil != null && lastClosedStart < from)) {
                return;
            }
            List<KeyValue<Windowed<String>, byte[]>> closed = new ArrayList<>();
            try (KeyValueIterator<Windowed<String>, byte[]> it =
                    windows.fetchAll(Instant.ofEpochMilli(Math.max(0, from)), Instant.ofEpochMilli(Math.max(0, to)))) {
                it.forEachRemaining(closed::add);
            }
            for (KeyValue<Windowed<String>, byte[]> window : closed) {
                emit(
                        window.key.key(),
                        window.key.window().start(),
                        AggregateState.read(aggregate.measures(), window.value));
                windows.put(window.key.key(), null, window.key.window().start());
            }
            progress.put(EMITTED, closeTime);
        }

        private void emit(String group, long start, AggregateState state) {
            long end = start + aggregate.size().toMillis();
            ObjectNode out = JSON.createObjectNode();
            out.put(CuratedFields.EVENT_TIME, start);
            out.put("window_start", Instant.ofEpochMilli(start).toString());
            out.put("window_end", Instant.ofEpochMilli(end).toString());
            JsonNode groupValues = parse(group.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < aggregate.groupBy().size(); i++) {
                out.set(aggregate.groupBy().get(i), groupValues.get(i));
            }
            state.writeTo(out);
            ObjectNode key = JSON.createObjectNode();
            key.put("window_start", start);
            key.set("group", groupValues);
            byte[] value = writer.write(
                    TopologyNames.aggregate(aggregate.name()),
                    TopologyNames.aggregateRecordName(aggregate.name()),
                    "Windowed aggregate " + aggregate.name() + " over " + aggregate.source()
                            + ": one row per window and group.",
                    columnDocs,
                    ColumnValues.of(out));
            context.forward(
                    new Record<>(key.toString().getBytes(StandardCharsets.UTF_8), value, start, new RecordHeaders()));
            emits.increment();
        }

        private JsonNode parse(byte[] bytes) {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("an aggregate group key is not JSON; only Sluice writes them", e);
            }
        }
    }
}
