package io.sluice.e2e;

import io.sluice.schemas.CuratedFields;
import io.sluice.sinks.LakeFileSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The tier-1 Parquet rows of a lake (local or s3a://) per table and hour directory, each row as
 * its non-null columns in name order without the curated-topic coordinates
 * ({@code __kafka_partition}, {@code __kafka_offset}): two runs over the same input place a row at
 * different offsets (a replay after a fault leaves aborted transactions behind), and a column an
 * hour's older file lacks reads as absent, not null.
 */
final class LakeRowsByHour {
    private LakeRowsByHour() {}

    /** {@code curated/<table>/year=/month=/day=/hour=} to its rows, sorted; a row twice stays twice. */
    static Map<String, List<String>> of(LakeFileSystem lake) {
        Map<String, List<String>> hours = new TreeMap<>();
        try {
            Path curated = new Path(lake.root(), "curated");
            if (!lake.fs().exists(curated)) {
                return hours;
            }
            String root = lake.root().toUri().getPath().replaceAll("/+$", "") + "/";
            RemoteIterator<LocatedFileStatus> files = lake.fs().listFiles(curated, true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                String relative = file.toUri().getPath().substring(root.length());
                if (!relative.endsWith(".parquet") || relative.contains("/_")) {
                    continue;
                }
                List<String> rows =
                        hours.computeIfAbsent(relative.substring(0, relative.lastIndexOf('/')), k -> new ArrayList<>());
                read(lake, file, rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hours.values().forEach(rows -> rows.sort(null));
        return hours;
    }

    /** How many rows each hour directory holds. */
    static Map<String, Integer> counts(Map<String, List<String>> rowsByHour) {
        Map<String, Integer> counts = new TreeMap<>();
        rowsByHour.forEach((hour, rows) -> counts.put(hour, rows.size()));
        return counts;
    }

    private static void read(LakeFileSystem lake, Path file, List<String> rows) throws IOException {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(file, lake.conf()))
                .withConf(lake.conf())
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(render(r));
            }
        }
    }

    private static String render(GenericRecord row) {
        Map<String, String> columns = new TreeMap<>();
        for (Schema.Field field : row.getSchema().getFields()) {
            Object value = row.get(field.name());
            if (value != null
                    && !field.name().equals(CuratedFields.KAFKA_PARTITION)
                    && !field.name().equals(CuratedFields.KAFKA_OFFSET)) {
                columns.put(field.name(), String.valueOf(value));
            }
        }
        return columns.toString();
    }
}
