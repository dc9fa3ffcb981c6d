package io.sluice.topology;

import io.sluice.dimensions.NaturalKey;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys curated rows by a function of their (masked) columns, so that the rows a stateful step
 * must see together — an aggregate's group, a dimension's natural key — meet in one partition.
 */
final class RekeyProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private final SchemaRegistry registry;
    private final Function<Map<String, Object>, String> keyOf;

    private RekeyProcessorSupplier(SchemaRegistry registry, Function<Map<String, Object>, String> keyOf) {
        this.registry = registry;
        this.keyOf = keyOf;
    }

    /** Keyed by an aggregate's group-by values: a JSON array of them, typed as in the row. */
    static RekeyProcessorSupplier byGroup(List<String> groupBy, SchemaRegistry registry) {
        List<String> fields = List.copyOf(groupBy);
        return new RekeyProcessorSupplier(
                registry, row -> PartialAggregateProcessorSupplier.groupKey(fields, CuratedAvroReader.toTree(row)));
    }

    /** Keyed by a dimension's natural key: {@link NaturalKey#storeKey}, which the "as of" endpoint rebuilds from a URL. */
    static RekeyProcessorSupplier byNaturalKey(List<String> keyColumns, SchemaRegistry registry) {
        List<String> columns = List.copyOf(keyColumns);
        return new RekeyProcessorSupplier(
                registry,
                row -> NaturalKey.storeKey(columns.stream().map(row::get).toList()));
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new RekeyProcessor();
    }

    private final class RekeyProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private CuratedAvroReader reader;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.reader = new CuratedAvroReader(registry);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String key = keyOf.apply(reader.read(record.value()));
            context.forward(new Record<>(
                    key.getBytes(StandardCharsets.UTF_8), record.value(), record.timestamp(), new RecordHeaders()));
        }
    }
}
