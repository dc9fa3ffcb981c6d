package io.sluice.topology;

import io.sluice.dimensions.NaturalKey;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keys a table's curated rows by their dimension's natural key (masked values), so that all changes
 * of one key meet in one partition and one store. The key is {@link NaturalKey#storeKey}'s text,
 * which the "as of" endpoint rebuilds from a URL.
 */
final class DimensionKeyProcessor implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private final List<String> keyColumns;
    private final SchemaRegistry registry;

    DimensionKeyProcessor(List<String> keyColumns, SchemaRegistry registry) {
        this.keyColumns = List.copyOf(keyColumns);
        this.registry = registry;
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new Processor<>() {
            private ProcessorContext<byte[], byte[]> context;
            private CuratedAvroReader reader;

            @Override
            public void init(ProcessorContext<byte[], byte[]> context) {
                this.context = context;
                this.reader = new CuratedAvroReader(registry);
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
                Map<String, Object> row = reader.read(record.value());
                String key = NaturalKey.storeKey(keyColumns.stream().map(row::get).toList());
                context.forward(new Record<>(key.getBytes(StandardCharsets.UTF_8), record.value(), record.timestamp(), new RecordHeaders()));
            }
        };
    }
}
