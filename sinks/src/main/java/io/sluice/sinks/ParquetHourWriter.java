package io.sluice.sinks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes one table-hour's rows as Parquet files named {@code part-NNNNN.<codec>.parquet}: a whole
 * hour rolls to a new file whenever the current one reaches the target size; the rows a late pass
 * adds to an hour go into exactly one file — the hour's last file rewritten with them, or a new
 * one when the last is full — because one file is what can be published atomically.
 */
final class ParquetHourWriter {
    static final String EXTENSION = ".parquet";
    private static final String PART_PREFIX = "part-";

    private final FileSystem fs;
    private final Configuration conf;
    private final CompactionSettings settings;

    ParquetHourWriter(FileSystem fs, Configuration conf, CompactionSettings settings) {
        this.fs = fs;
        this.conf = conf;
        this.settings = settings;
    }

    /** Writes a whole hour, records of {@code schema} as they come, into {@code dir}, from {@code part-00000} on; returns the files in order. */
    List<Path> writeHour(Path dir, Schema schema, Iterator<? extends GenericRecord> records) throws IOException {
        return write(dir, 0, settings.targetFileSize(), schema, records);
    }

    /** Writes the rows a late pass adds to an hour (at least one) as the single file {@code part-<part>}, whatever its size. */
    Path writeLateFile(
            Path dir, int part, String table, LakeSchema lakeSchema, LakeColumns columns, List<Object[]> rows)
            throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a late file needs rows");
        }
        LakeSchema.RecordMaker records = lakeSchema.recordMaker(table, columns);
        return write(
                        dir,
                        part,
                        Long.MAX_VALUE,
                        records.schema(),
                        rows.stream().map(records::toRecord).iterator())
                .get(0);
    }

    /**
     * Writes the rows of an hour's last file merged with a late pass's rows as one file, named
     * {@code name} (in staging; it then replaces the last file whole).
     */
    Path writeReplacement(
            Path dir, String name, String table, LakeSchema lakeSchema, LakeColumns columns, List<Object[]> rows)
            throws IOException {
        Path file = new Path(dir, name);
        LakeSchema.RecordMaker records = lakeSchema.recordMaker(table, columns);
        try (ParquetWriter<GenericRecord> out = open(file, records.schema())) {
            for (Object[] row : rows) {
                out.write(records.toRecord(row));
            }
        }
        return file;
    }

    /** The name this writer gives part {@code part} with the configured codec. */
    String fileName(int part) {
        return String.format(
                Locale.ROOT,
                "%s%05d.%s%s",
                PART_PREFIX,
                part,
                settings.codec().name().toLowerCase(Locale.ROOT),
                EXTENSION);
    }

    /** The target size of a file. */
    long targetFileSize() {
        return settings.targetFileSize();
    }

    /** The part number of a file this writer named, or -1. */
    static int partNumber(String fileName) {
        if (!fileName.startsWith(PART_PREFIX)
                || !fileName.endsWith(EXTENSION)
                || fileName.length() < PART_PREFIX.length() + 5) {
            return -1;
        }
        String digits = fileName.substring(PART_PREFIX.length(), PART_PREFIX.length() + 5);
        return digits.chars().allMatch(Character::isDigit) ? Integer.parseInt(digits) : -1;
    }

    private List<Path> write(
            Path dir, int firstPart, long rollAtBytes, Schema schema, Iterator<? extends GenericRecord> records)
            throws IOException {
        List<Path> files = new ArrayList<>();
        ParquetWriter<GenericRecord> writer = null;
        try {
            while (records.hasNext()) {
                GenericRecord record = records.next();
                if (writer == null) {
                    Path file = new Path(dir, fileName(firstPart + files.size()));
                    files.add(file);
                    writer = open(file, schema);
                }
                writer.write(record);
                if (writer.getDataSize() >= rollAtBytes) {
                    writer.close();
                    writer = null;
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        return files;
    }

    private ParquetWriter<GenericRecord> open(Path file, Schema schema) throws IOException {
        return AvroParquetWriter.<GenericRecord>builder(LakeParquetFiles.output(fs, file))
                .withConf(conf)
                .withSchema(schema)
                .withCompressionCodec(settings.codec())
                .withRowGroupSize(settings.rowGroupSize())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }
}
