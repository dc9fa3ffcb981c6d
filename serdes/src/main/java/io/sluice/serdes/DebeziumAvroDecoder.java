package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.ConfluentWireFormat;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Debezium change events written by an Avro converter in the Confluent wire format
 * (Confluent's {@code AvroConverter}, or Apicurio's with Confluent-compatible ids): the writer's
 * schema comes from the registry by the id in each record, and the record is decoded exactly as
 * its schema-enabled JSON form would be ({@link DebeziumJsonDecoder}), logical types included.
 * Keys may be Avro or JSON. An unknown schema id, and a schema the registry refuses or garbles, are
 * decode failures with their own reasons, so they reach the dead-letter topic by reference; a registry
 * that is unreachable (or failing, or throttling) is not the record's fault and is thrown as the
 * retriable {@link SchemaRegistryException}, for the task to fail and exactly-once to read the record
 * again. Thread-safe: one decoder serves every stream task reading the topic.
 */
public final class DebeziumAvroDecoder {
    private final DebeziumJsonDecoder envelopes;
    private final SchemaRegistry registry;
    private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();

    /** A decoder for one table's topic. */
    public DebeziumAvroDecoder(String table, SchemaRegistry registry) {
        this.envelopes = new DebeziumJsonDecoder(table);
        this.registry = registry;
    }

    /**
     * Decodes one record.
     *
     * @param key   the key bytes (Avro or JSON), or null
     * @param value the value bytes, or null for a tombstone
     */
    public DecodeOutcome decode(byte[] key, byte[] value) throws DecodeException {
        if (value == null) {
            return new DecodeOutcome.Skipped("tombstone");
        }
        JsonNode keyTree =
                key == null ? null : CuratedAvroReader.isFramed(key) ? tree(key, "key") : JsonTree.parse(key, "key");
        return envelopes.decodeTrees(keyTree, tree(value, "value"));
    }

    private JsonNode tree(byte[] framed, String what) throws DecodeException {
        if (!CuratedAvroReader.isFramed(framed)) {
            throw new DecodeException(
                    "not-avro", what + " is not Avro in the Confluent wire format (no magic byte 0 and schema id)");
        }
        int id = ConfluentWireFormat.schemaId(framed);
        Reader reader = readers.get(id);
        if (reader == null) {
            reader = new Reader(schema(id, what));
            readers.put(id, reader);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(
                            framed,
                            ConfluentWireFormat.HEADER_LENGTH,
                            framed.length - ConfluentWireFormat.HEADER_LENGTH,
                            null);
            return ConnectAvroTrees.wrapped(reader.schema, reader.datumReader.read(null, decoder));
        } catch (IOException | RuntimeException e) {
            // Never e.getMessage(): Avro's messages can quote the datum.
            throw new DecodeException(
                    "malformed-avro",
                    what + " does not match its writer schema (id " + id + "): "
                            + e.getClass().getSimpleName());
        }
    }

    /** The writer schema; a retriable registry failure is thrown as it is, because the record may well decode later. */
    private Schema schema(int id, String what) throws DecodeException {
        try {
            return registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                throw e;
            }
            if (e.isNotFound()) {
                throw new DecodeException(
                        "unknown-schema-id", what + " names schema id " + id + ", which the registry does not know");
            }
            throw new DecodeException(
                    "registry-rejected",
                    "the registry cannot give schema id " + id + " for the " + what + ": " + e.getMessage());
        }
    }

    /** A writer schema and its datum reader. */
    private static final class Reader {
        final Schema schema;
        final GenericDatumReader<Object> datumReader;

        Reader(Schema schema) {
            this.schema = schema;
            this.datumReader = new GenericDatumReader<>(schema);
        }
    }
}
