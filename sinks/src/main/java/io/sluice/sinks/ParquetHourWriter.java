package io.sluice.sinks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Writes one table-hour's rows as Parquet files named {@code part-NNNNN.snappy.parquet}, starting a
 * new file whenever the current one reaches the target size.
 */
final class ParquetHourWriter {
    static final String EXTENSION = ".parquet";

    private final Configuration conf;
    private final CompactionSettings settings;

    ParquetHourWriter(Configuration conf, CompactionSettings settings) {
        this.conf = conf;
        this.settings = settings;
    }

    /** Writes the rows into {@code dir} and returns the files, in order. */
    List<Path> write(Path dir, String table, LakeSchema lakeSchema, List<Map<String, Object>> rows) throws IOException {
        Schema schema = lakeSchema.toAvro(table);
        List<Path> files = new ArrayList<>();
        ParquetWriter<GenericRecord> writer = null;
        try {
            for (Map<String, Object> row : rows) {
                if (writer == null) {
                    Path file = new Path(dir, String.format("part-%05d.%s%s", files.size(),
                            settings.codec().name().toLowerCase(java.util.Locale.ROOT), EXTENSION));
                    files.add(file);
                    writer = open(file, schema);
                }
                writer.write(lakeSchema.toRecord(schema, row));
                if (writer.getDataSize() >= settings.targetFileSize()) {
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
        return AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withSchema(schema)
                .withCompressionCodec(settings.codec())
                .withRowGroupSize(settings.rowGroupSize())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }
}
