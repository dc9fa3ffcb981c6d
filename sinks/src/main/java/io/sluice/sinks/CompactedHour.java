package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * What a committed table-hour already holds: its Parquet files, the widest column types over them,
 * and the identities of its rows, which a pass needs to merge late rows in without repeating any.
 */
final class CompactedHour {
    private final boolean exists;
    private final List<FileStatus> files;
    private final LakeSchema schema;
    private final Set<RowId> rowIds;
    private final long rows;
    private final FileSystem fs;
    private final HadoopParquetConfiguration parquetConf;

    private CompactedHour(
            boolean exists,
            List<FileStatus> files,
            LakeSchema schema,
            Set<RowId> rowIds,
            long rows,
            FileSystem fs,
            HadoopParquetConfiguration parquetConf) {
        this.exists = exists;
        this.files = files;
        this.schema = schema;
        this.rowIds = rowIds;
        this.rows = rows;
        this.fs = fs;
        this.parquetConf = parquetConf;
    }

    /** Reads the hour directory {@code live}; an hour never committed has no directory. */
    static CompactedHour read(FileSystem fs, Configuration conf, Path live) throws IOException {
        if (!fs.exists(live)) {
            return new CompactedHour(false, List.of(), LakeSchema.startingFrom(null), Set.of(), 0, fs, null);
        }
        // handed over explicitly: Parquet's readers otherwise load a fresh Hadoop configuration per file
        HadoopParquetConfiguration parquetConf = new HadoopParquetConfiguration(conf);
        FileStatus[] statuses = fs.globStatus(new Path(live, "*" + ParquetHourWriter.EXTENSION));
        Arrays.sort(statuses, Comparator.comparing(f -> f.getPath().getName()));
        List<FileStatus> files = new ArrayList<>(statuses.length);
        LakeSchema schema = LakeSchema.startingFrom(null);
        Set<RowId> ids = new HashSet<>();
        long rows = 0;
        for (FileStatus file : statuses) {
            files.add(file);
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            LakeParquetFiles.input(fs, file), parquetConf)
                    .build()) {
                Schema fileSchema = null;
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    fileSchema = record.getSchema();
                    rows++;
                    RowId id = RowId.of(record);
                    if (id != null) {
                        ids.add(id);
                    }
                }
                if (fileSchema != null) {
                    schema.widenWith(fileSchema);
                }
            }
        }
        return new CompactedHour(true, List.copyOf(files), schema, ids, rows, fs, parquetConf);
    }

    /** Whether the hour has been committed before. */
    boolean exists() {
        return exists;
    }

    /** Its Parquet file names, in order. */
    List<String> files() {
        return files.stream().map(f -> f.getPath().getName()).toList();
    }

    /** Its last Parquet file (the one the hour's rows filled last), or null for an hour without files. */
    FileStatus lastFile() {
        return files.isEmpty() ? null : files.get(files.size() - 1);
    }

    /**
     * Hands each row of one of its files to {@code rows}, as an array indexed by {@code columns}
     * (numbered by the file's column names, which are valid Avro names already).
     */
    void readRows(FileStatus file, LakeColumns columns, Consumer<Object[]> rows) throws IOException {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        LakeParquetFiles.input(fs, file), parquetConf)
                .build()) {
            int[] columnOfField = null;
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                if (columnOfField == null) {
                    List<Schema.Field> fields = record.getSchema().getFields();
                    columnOfField = new int[fields.size()];
                    for (Schema.Field field : fields) {
                        columnOfField[field.pos()] = columns.numberOfAvroNameOrNew(field.name());
                    }
                }
                Object[] row = new Object[columns.size()];
                for (int field = 0; field < columnOfField.length; field++) {
                    Object value = record.get(field);
                    // parquet-avro hands timestamp-millis columns (the event time) over as Instants; rows hold epoch
                    // millis
                    row[columnOfField[field]] =
                            value instanceof java.time.Instant instant ? instant.toEpochMilli() : value;
                }
                rows.accept(row);
            }
        }
    }

    /** Its rows. */
    long rows() {
        return rows;
    }

    /** Whether a tier-0 row (numbered by {@code columns}) is already in the hour: one with its identity is. */
    boolean holds(Object[] row, LakeColumns columns) {
        if (!exists) {
            return false;
        }
        RowId id = RowId.of(row, columns.find(CuratedFields.KAFKA_PARTITION), columns.find(CuratedFields.KAFKA_OFFSET));
        return id != null && rowIds.contains(id);
    }

    /** The widest column types over its files, to be widened further by the rows a pass adds. */
    LakeSchema schema() {
        return schema;
    }

    /** The part number the next file added to the hour gets: one past the highest in use. */
    int nextPart() {
        int highest = -1;
        for (String file : files()) {
            highest = Math.max(highest, ParquetHourWriter.partNumber(file));
        }
        return Math.max(highest + 1, files.size());
    }
}
