package io.sluice.serdes.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.AvroModel;
import io.sluice.schemas.RowSchema;
import io.sluice.serdes.registry.ConfluentWireFormat;
import io.sluice.serdes.registry.SchemaRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads curated records (Confluent wire format, schema by id from the registry) back into column
 * maps under their source column names: what the aggregates, the lake sink and topic dumps read.
 * Not thread-safe: one per thread.
 */
public final class CuratedAvroReader {
    private final SchemaRegistry registry;
    private final Set<String> projection;
    private final Map<Integer, Reader> readers = new HashMap<>();
    private BinaryDecoder decoder;

    /** A reader resolving schema ids with a registry. */
    public CuratedAvroReader(SchemaRegistry registry) {
        this(registry, null);
    }

    private CuratedAvroReader(SchemaRegistry registry, Set<String> projection) {
        this.registry = registry;
        this.projection = projection;
    }

    /**
     * A reader whose rows hold only these columns (those a record's schema has): the others are skipped undecoded,
     * which costs a fraction of decoding them when a step needs a few columns of a wide row.
     */
    public static CuratedAvroReader projecting(SchemaRegistry registry, Collection<String> columns) {
        return new CuratedAvroReader(registry, Set.copyOf(columns));
    }

    /** Whether bytes are framed in the Confluent wire format (and so not JSON, which never starts with a zero byte). */
    public static boolean isFramed(byte[] bytes) {
        return bytes != null
                && bytes.length >= ConfluentWireFormat.HEADER_LENGTH
                && bytes[0] == ConfluentWireFormat.MAGIC;
    }

    /** The row: column name to String, Long, Double, BigDecimal, Boolean or null, in schema order. */
    public Map<String, Object> read(byte[] framed) {
        int id = ConfluentWireFormat.schemaId(framed);
        Reader reader = readers.computeIfAbsent(id, i -> new Reader(registry.schemaById(i), projection));
        GenericRecord record;
        try {
            decoder = DecoderFactory.get()
                    .binaryDecoder(
                            framed,
                            ConfluentWireFormat.HEADER_LENGTH,
                            framed.length - ConfluentWireFormat.HEADER_LENGTH,
                            decoder);
            record = reader.datumReader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // Never e.getMessage(): Avro's messages can quote the datum.
            throw new SerializationException("cannot read a curated record of schema id " + id + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < reader.columns.length; i++) {
            Object value = record.get(i);
            row.put(reader.columns[i], value instanceof CharSequence text ? text.toString() : value);
        }
        return row;
    }

    /** The documentation of a framed record's columns, from its registered schema's fields (columns without one left out). */
    public Map<String, String> lakeDocs(byte[] framed) {
        int id = ConfluentWireFormat.schemaId(framed);
        return readers.computeIfAbsent(id, i -> new Reader(registry.schemaById(i), projection)).docs;
    }

    /**
     * The lake column type of each column of a record's schema, by source column name: {@code boolean},
     * {@code long}, {@code double} (also for decimals), or {@code string} (text, or a column whose union mixes kinds).
     */
    public Map<String, String> lakeTypes(byte[] framed) {
        int id = ConfluentWireFormat.schemaId(framed);
        return readers.computeIfAbsent(id, i -> new Reader(registry.schemaById(i), projection)).lakeTypes;
    }

    /** The columns of a record's schema that hold something other than text (numbers, booleans, decimals). */
    public Set<String> nonTextColumns(byte[] framed) {
        int id = ConfluentWireFormat.schemaId(framed);
        return readers.computeIfAbsent(id, i -> new Reader(registry.schemaById(i), projection)).nonText;
    }

    /** The row as a JSON object (decimals exact). */
    public ObjectNode readTree(byte[] framed) {
        return toTree(read(framed));
    }

    /** A row as a JSON object (decimals exact). */
    public static ObjectNode toTree(Map<String, Object> row) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        row.forEach((column, value) -> out.set(column, node(value)));
        return out;
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Double d) {
            return f.numberNode(d);
        }
        if (value instanceof BigDecimal d) {
            return f.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        return f.textNode(value.toString());
    }

    /** The source column name of each field, by position. */
    private static String[] columnsOf(Schema schema) {
        return schema.getFields().stream()
                .map(f ->
                        f.getProp(RowSchema.COLUMN_PROPERTY) != null ? f.getProp(RowSchema.COLUMN_PROPERTY) : f.name())
                .toArray(String[]::new);
    }

    /** The writer's schema with only the fields of these columns, under its name, so Avro resolves one to the other. */
    private static Schema projected(Schema writer, Set<String> projection) {
        String[] columns = columnsOf(writer);
        List<Schema.Field> kept = new ArrayList<>();
        for (Schema.Field field : writer.getFields()) {
            if (projection.contains(columns[field.pos()])) {
                kept.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(writer.getName(), writer.getDoc(), writer.getNamespace(), writer.isError(), kept);
    }

    /** A datum reader for one writer schema, its column names by field position, and its non-text columns. */
    private static final class Reader {
        final GenericDatumReader<GenericRecord> datumReader;
        final String[] columns;
        final Set<String> nonText = new HashSet<>();
        final Map<String, String> lakeTypes = new LinkedHashMap<>();
        final Map<String, String> docs = new LinkedHashMap<>();

        Reader(Schema schema, Set<String> projection) {
            Schema read = projection == null ? schema : projected(schema, projection);
            this.datumReader = new GenericDatumReader<>(schema, read, AvroModel.GENERIC);
            this.columns = columnsOf(read);
            String[] written = columnsOf(schema);
            for (Schema.Field field : schema.getFields()) {
                if (field.doc() != null && !field.doc().isBlank()) {
                    docs.put(written[field.pos()], field.doc());
                }
                List<Schema> branches = field.schema().getType() == Schema.Type.UNION
                        ? field.schema().getTypes()
                        : List.of(field.schema());
                if (branches.stream()
                        .anyMatch(b -> b.getType() != Schema.Type.NULL && b.getType() != Schema.Type.STRING)) {
                    nonText.add(written[field.pos()]);
                }
                Set<String> kinds = new HashSet<>();
                branches.stream()
                        .filter(b -> b.getType() != Schema.Type.NULL)
                        .forEach(b -> kinds.add(
                                switch (b.getType()) {
                                    case BOOLEAN -> "boolean";
                                    case INT, LONG -> "long";
                                    case FLOAT, DOUBLE, BYTES -> "double";
                                    default -> "string";
                                }));
                if (kinds.size() == 2 && kinds.contains("long") && kinds.contains("double")) {
                    kinds.remove("long");
                }
                if (!kinds.isEmpty()) {
                    lakeTypes.put(
                            written[field.pos()],
                            kinds.size() == 1 ? kinds.iterator().next() : "string");
                }
            }
        }
    }
}
