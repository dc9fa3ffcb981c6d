package io.sluice.topology;

import io.sluice.config.SourceConfig;
import io.sluice.serdes.DebeziumAvroDecoder;
import io.sluice.serdes.DebeziumJsonDecoder;
import io.sluice.serdes.DecodeException;
import io.sluice.serdes.DecodeOutcome;
import io.sluice.serdes.MmpEventDecoder;
import io.sluice.serdes.registry.SchemaRegistry;

/** Decodes the raw records of one source topic. */
@FunctionalInterface
public interface SourceDecoder {

    /** Decodes a record's key and value bytes. */
    DecodeOutcome decode(byte[] key, byte[] value) throws DecodeException;

    /** The decoder for a topic of a source; Avro sources fetch writer schemas from the registry. */
    static SourceDecoder forTopic(SourceConfig source, String topic, SchemaRegistry registry) {
        String table = source.tableOf(topic);
        return switch (source.type()) {
            case DEBEZIUM ->
                source.avro()
                        ? new DebeziumAvroDecoder(table, registry)::decode
                        : new DebeziumJsonDecoder(table)::decode;
            case MMP -> {
                MmpEventDecoder decoder = new MmpEventDecoder(
                        table, source.eventTimeField(), source.eventValueKeys(), source.unknownToExtra());
                yield (key, value) -> decoder.decode(value);
            }
        };
    }
}
