package io.sluice.sinks;

import io.sluice.schemas.CuratedFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private final List<KeyedRow> keyedRows;
    private final Map<String, RowId> tombstones;

    /**
     * A held row of a table kept as upserts.
     *
     * @param key  its key column's value
     * @param id   its identity
     * @param file the number of its file in {@link #files()}
     */
    record KeyedRow(String key, RowId id, int file) {}

    private CompactedHour(
            boolean exists,
            List<FileStatus> files,
            LakeSchema schema,
            Set<RowId> rowIds,
            long rows,
            FileSystem fs,
            HadoopParquetConfiguration parquetConf,
            List<KeyedRow> keyedRows,
            Map<String, RowId> tombstones) {
        this.keyedRows = keyedRows;
        this.tombstones = tombstones;
        this.exists = exists;
        this.files = files;
        this.schema = schema;
        this.rowIds = rowIds;
        this.rows = rows;
        this.fs = fs;
        this.parquetConf = parquetConf;
    }

    /** Reads the hour directory {@code live} of a table of appended rows; an hour never committed has no directory. */
    static CompactedHour read(FileSystem fs, Configuration conf, Path live) throws IOException {
        return read(fs, conf, live, null);
    }

    /**
     * Reads the hour directory {@code live}; an hour never committed has no directory. For a table kept as upserts by
     * {@code upsertKey} (null for appended rows), also each row's key and file, and the tombstones its marker lists.
     */
    static CompactedHour read(FileSystem fs, Configuration conf, Path live, String upsertKey) throws IOException {
        if (!fs.exists(live)) {
            return new CompactedHour(
                    false, List.of(), LakeSchema.startingFrom(null), Set.of(), 0, fs, null, List.of(), Map.of());
        }
        // handed over explicitly: Parquet's readers otherwise load a fresh Hadoop configuration per file
        HadoopParquetConfiguration parquetConf = new HadoopParquetConfiguration(conf);
        FileStatus[] statuses = fs.globStatus(new Path(live, "*" + ParquetHourWriter.EXTENSION));
        Arrays.sort(statuses, Comparator.comparing(f -> f.getPath().getName()));
        List<FileStatus> files = new ArrayList<>(statuses.length);
        LakeSchema schema = LakeSchema.startingFrom(null);
        Set<RowId> ids = new HashSet<>();
        List<KeyedRow> keyed = new ArrayList<>();
        String keyField = upsertKey == null ? null : LakeSchema.avroName(upsertKey);
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
                        Object key = keyField != null && record.hasField(keyField) ? record.get(keyField) : null;
                        if (key != null) {
                            keyed.add(new KeyedRow(key.toString(), id, files.size() - 1));
                        }
                    }
                }
                if (fileSchema != null) {
                    schema.widenWith(fileSchema);
                }
            }
        }
        Map<String, RowId> tombstones = upsertKey == null ? Map.of() : HourMarker.tombstones(fs, live);
        return new CompactedHour(true, List.copyOf(files), schema, ids, rows, fs, parquetConf, keyed, tombstones);
    }

    /** Its rows' keys and files, for a table kept as upserts (empty otherwise). */
    List<KeyedRow> keyedRows() {
        return keyedRows;
    }

    /** The tombstones applied to it so far, by key, for a table kept as upserts (empty otherwise). */
    Map<String, RowId> tombstones() {
        return tombstones;
    }

    /** Whether the hour has been committed before. */
    boolean exists() {
        return exists;
    }

    /** Its Parquet file names, in order. */
    List<String> files() {
        return files.stream().map(f -> f.getPath().getName()).toList();
    }

    /** Its Parquet file number {@code number} in {@link #files()}. */
    FileStatus file(int number) {
        return files.get(number);
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
