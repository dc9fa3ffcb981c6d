package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sinks.CompactionSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Step (h), the lake's floor: the same tier-0 rows the compactor reads, written as one Snappy
 * Parquet file per table-hour by parquet-java's {@link AvroParquetWriter} with the least work that
 * can do it — each table's schema known in advance (inferred before the clock starts), rows parsed
 * and written in file order, no deduplication, sorting, type widening, staging or commit.
 */
final class BareParquetWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path rawRoot;
    private final Map<String, Schema> schemas = new TreeMap<>();
    /** Column name to Avro name, worked out before the clock starts. */
    private final Map<String, String> avroNames = new java.util.HashMap<>();
    private final Map<Path, List<Path>> objectsByHour = new TreeMap<>();
    private final Configuration conf = new Configuration();
    private final CompactionSettings settings;

    /** Finds the tier-0 objects under {@code rawRoot} and infers each table's schema (not timed). */
    BareParquetWriter(Path rawRoot, CompactionSettings settings) throws IOException {
        this.rawRoot = rawRoot;
        this.settings = settings;
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        try (Stream<Path> files = Files.walk(rawRoot)) {
            for (Path object : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                objectsByHour.computeIfAbsent(object.getParent(), h -> new ArrayList<>()).add(object);
            }
        }
        Map<String, Map<String, Schema.Type>> columns = new TreeMap<>();
        for (Map.Entry<Path, List<Path>> hour : objectsByHour.entrySet()) {
            Map<String, Schema.Type> table = columns.computeIfAbsent(table(rawRoot, hour.getKey()), t -> new LinkedHashMap<>());
            for (Path object : hour.getValue()) {
                forEachRow(object, row -> row.fields().forEachRemaining(f -> table.merge(
                        avroNames.computeIfAbsent(f.getKey(), BareParquetWriter::avroName), typeOf(f.getValue()), BareParquetWriter::widen)));
            }
        }
        columns.forEach((table, types) -> schemas.put(table, schema(table, types)));
    }

    /** Writes every table-hour under {@code outDir}; returns the rows written. */
    long writeAll(Path outDir) throws IOException {
        long rows = 0;
        for (Map.Entry<Path, List<Path>> hour : objectsByHour.entrySet()) {
            rows += writeHour(hour.getKey(), hour.getValue(), outDir);
        }
        return rows;
    }

    /** Writes the first table-hour only, to warm the writer's code up before the measured pass. */
    void warmUp(Path outDir) throws IOException {
        Map.Entry<Path, List<Path>> first = objectsByHour.entrySet().iterator().next();
        writeHour(first.getKey(), first.getValue(), outDir);
    }

    private long writeHour(Path hourDir, List<Path> objects, Path outDir) throws IOException {
        String table = table(rawRoot, hourDir);
        Schema schema = schemas.get(table);
        Path file = outDir.resolve(rawRoot.relativize(hourDir)).resolve("part-00000.snappy.parquet");
        Files.createDirectories(file.getParent());
        long[] rows = {0};
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
                .withConf(conf).withSchema(schema).withCompressionCodec(settings.codec()).withRowGroupSize(settings.rowGroupSize())
                .withDictionaryEncoding(true).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (Path object : objects) {
                forEachRow(object, row -> {
                    GenericData.Record record = new GenericData.Record(schema);
                    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = it.next();
                        Schema.Field field = schema.getField(avroNames.get(f.getKey()));
                        record.put(field.pos(), value(f.getValue(), field.schema().getTypes().get(1).getType()));
                    }
                    try {
                        writer.write(record);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    rows[0]++;
                });
            }
        }
        return rows[0];
    }

    private static String table(Path rawRoot, Path hourDir) {
        return rawRoot.relativize(hourDir).getName(0).toString();
    }

    private static void forEachRow(Path object, java.util.function.Consumer<JsonNode> action) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(object, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    action.accept(JSON.readTree(line));
                }
            }
        }
    }

    private static Schema.Type typeOf(JsonNode value) {
        if (value.isBoolean()) {
            return Schema.Type.BOOLEAN;
        }
        if (value.isIntegralNumber()) {
            return Schema.Type.LONG;
        }
        if (value.isNumber()) {
            return Schema.Type.DOUBLE;
        }
        return value.isNull() ? Schema.Type.NULL : Schema.Type.STRING;
    }

    private static Schema.Type widen(Schema.Type a, Schema.Type b) {
        if (a == b || b == Schema.Type.NULL) {
            return a;
        }
        if (a == Schema.Type.NULL) {
            return b;
        }
        boolean numbers = (a == Schema.Type.LONG || a == Schema.Type.DOUBLE) && (b == Schema.Type.LONG || b == Schema.Type.DOUBLE);
        return numbers ? Schema.Type.DOUBLE : Schema.Type.STRING;
    }

    private static Object value(JsonNode node, Schema.Type type) {
        if (node.isNull()) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> node.asBoolean();
            case LONG -> node.asLong();
            case DOUBLE -> node.asDouble();
            default -> node.isTextual() ? node.textValue() : node.toString();
        };
    }

    private static Schema schema(String table, Map<String, Schema.Type> columns) {
        List<Schema.Field> fields = new ArrayList<>();
        columns.forEach((name, type) -> fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(type == Schema.Type.NULL ? Schema.Type.STRING : type)), null, Schema.Field.NULL_DEFAULT_VALUE)));
        return Schema.createRecord(avroName(table), null, "io.sluice.bench", false, fields);
    }

    private static String avroName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(safe.charAt(0)) ? "_" + safe : safe;
    }
}
