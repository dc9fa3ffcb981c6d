package io.sluice.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** Keys curated rows by an aggregate's group-by values (masked), so that a group's rows meet in one partition. */
final class AggregateKeyProcessor implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> groupBy;
    private final SchemaRegistry registry;

    AggregateKeyProcessor(List<String> groupBy, SchemaRegistry registry) {
        this.groupBy = List.copyOf(groupBy);
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
                JsonNode row = reader.readTree(record.value());
                ArrayNode key = JSON.createArrayNode();
                for (String field : groupBy) {
                    JsonNode v = row.get(field);
                    key.add(v == null ? JSON.nullNode() : v);
                }
                context.forward(new Record<>(key.toString().getBytes(StandardCharsets.UTF_8), record.value(), record.timestamp(),
                        new RecordHeaders()));
            }
        };
    }
}
