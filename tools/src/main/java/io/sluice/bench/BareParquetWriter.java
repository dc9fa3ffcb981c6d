package io.sluice.bench;

import io.sluice.sinks.CompactionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Step (h), the lake's floor: the same tier-0 Avro objects the compactor reads, written as one
 * Snappy Parquet file per table-hour by parquet-java's {@link AvroParquetWriter} with the least
 * work that can do it — each table's schema known in advance (merged from the objects' own before
 * the clock starts), records read and written in file order, no deduplication, sorting, staging or
 * commit.
 */
final class BareParquetWriter {
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private final Path rawRoot;
    private final Map<String, Schema> schemas = new TreeMap<>();
    private final Map<Path, List<Path>> objectsByHour = new TreeMap<>();
    private final Configuration conf = new Configuration();
    private final CompactionSettings settings;

    /** Finds the tier-0 objects under {@code rawRoot} and merges each table's schema (not timed). */
    BareParquetWriter(Path rawRoot, CompactionSettings settings) throws IOException {
        this.rawRoot = rawRoot;
        this.settings = settings;
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        try (Stream<Path> files = Files.walk(rawRoot)) {
            for (Path object : files.filter(p -> p.getFileName().toString().endsWith(".avro")
                            && !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList()) {
                objectsByHour
                        .computeIfAbsent(object.getParent(), h -> new ArrayList<>())
                        .add(object);
            }
        }
        Map<String, Map<String, Schema.Type>> columns = new TreeMap<>();
        for (Map.Entry<Path, List<Path>> hour : objectsByHour.entrySet()) {
            Map<String, Schema.Type> table =
                    columns.computeIfAbsent(table(rawRoot, hour.getKey()), t -> new LinkedHashMap<>());
            for (Path object : hour.getValue()) {
                try (DataFileReader<GenericRecord> in =
                        new DataFileReader<>(object.toFile(), new GenericDatumReader<>())) {
                    for (Schema.Field field : in.getSchema().getFields()) {
                        table.merge(field.name(), typeOf(field.schema()), BareParquetWriter::widen);
                    }
                }
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
        Schema schema = schemas.get(table(rawRoot, hourDir));
        Path file = outDir.resolve(rawRoot.relativize(hourDir)).resolve("part-00000.snappy.parquet");
        Files.createDirectories(file.getParent());
        long rows = 0;
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                        HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
                .withConf(conf)
                .withSchema(schema)
                .withCompressionCodec(settings.codec())
                .withRowGroupSize(settings.rowGroupSize())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Path object : objects) {
                try (DataFileReader<GenericRecord> in =
                        new DataFileReader<>(object.toFile(), new GenericDatumReader<>(null, null, DATA))) {
                    List<Schema.Field> fields = in.getSchema().getFields();
                    int[] target = new int[fields.size()];
                    Schema.Type[] types = new Schema.Type[fields.size()];
                    for (Schema.Field field : fields) {
                        Schema.Field to = schema.getField(field.name());
                        target[field.pos()] = to.pos();
                        types[field.pos()] = to.schema().getTypes().get(1).getType();
                    }
                    GenericRecord read = null;
                    while (in.hasNext()) {
                        read = in.next(read);
                        GenericData.Record record = new GenericData.Record(schema);
                        for (int f = 0; f < target.length; f++) {
                            record.put(target[f], as(read.get(f), types[f]));
                        }
                        writer.write(record);
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    /** A value of a field whose type in this object is narrower than in the table's schema. */
    private static Object as(Object value, Schema.Type type) {
        if (type == Schema.Type.DOUBLE && value instanceof Number n && !(value instanceof Double)) {
            return n.doubleValue();
        }
        if (type == Schema.Type.STRING && value != null && !(value instanceof CharSequence)) {
            return value.toString();
        }
        return value;
    }

    private static String table(Path rawRoot, Path hourDir) {
        return rawRoot.relativize(hourDir).getName(0).toString();
    }

    /** The one type a tier-0 field's union widens to in Parquet: decimals and number mixes to double, other mixes to text. */
    private static Schema.Type typeOf(Schema field) {
        Schema.Type type = Schema.Type.NULL;
        for (Schema branch : field.getType() == Schema.Type.UNION ? field.getTypes() : List.of(field)) {
            type = widen(type, branch.getType() == Schema.Type.BYTES ? Schema.Type.DOUBLE : branch.getType());
        }
        return type;
    }

    private static Schema.Type widen(Schema.Type a, Schema.Type b) {
        if (a == b || b == Schema.Type.NULL) {
            return a;
        }
        if (a == Schema.Type.NULL) {
            return b;
        }
        boolean numbers = (a == Schema.Type.LONG || a == Schema.Type.DOUBLE)
                && (b == Schema.Type.LONG || b == Schema.Type.DOUBLE);
        return numbers ? Schema.Type.DOUBLE : Schema.Type.STRING;
    }

    private static Schema schema(String table, Map<String, Schema.Type> columns) {
        List<Schema.Field> fields = new ArrayList<>();
        columns.forEach((name, type) -> fields.add(new Schema.Field(
                name,
                Schema.createUnion(
                        Schema.create(Schema.Type.NULL),
                        Schema.create(type == Schema.Type.NULL ? Schema.Type.STRING : type)),
                null,
                Schema.Field.NULL_DEFAULT_VALUE)));
        return Schema.createRecord(table.replaceAll("[^A-Za-z0-9_]", "_"), null, "io.sluice.bench", false, fields);
    }
}
