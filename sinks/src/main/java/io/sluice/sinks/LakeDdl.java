package io.sluice.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Hive/Athena DDL for the compacted tables: {@code CREATE EXTERNAL TABLE ... PARTITIONED BY (year
 * int, month int, day int, hour int) STORED AS PARQUET}, an {@code ALTER TABLE ... ADD IF NOT EXISTS
 * PARTITION} per compacted hour, and, as the alternative that needs no registration at all, the
 * Athena partition-projection properties. Written to {@code <lake>/_ddl/<table>.sql} after each
 * compaction pass ({@code sluice compact --print-ddl} prints them).
 */
public final class LakeDdl {
    private static final String DDL_DIR = "_ddl";

    private final FileSystem fs;
    private final Configuration conf;
    private final LakeLayout layout;

    /** DDL for a lake. */
    public LakeDdl(LakeFileSystem lake) {
        this.fs = lake.fs();
        this.conf = lake.conf();
        this.layout = lake.layout();
    }

    /** The tables that have compacted hours. */
    public List<String> tables() {
        try {
            FileStatus[] dirs = fs.globStatus(new Path(layout.curatedRoot(), "*"));
            List<String> tables = new ArrayList<>();
            if (dirs != null) {
                Arrays.stream(dirs)
                        .filter(FileStatus::isDirectory)
                        .map(d -> d.getPath().getName())
                        .sorted()
                        .forEach(tables::add);
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list lake tables", e);
        }
    }

    /** The DDL of one table, with the widest column types over its compacted hours. */
    public String ddl(String table) {
        try {
            FileStatus[] hours =
                    fs.globStatus(new Path(new Path(layout.curatedRoot(), table), "year=*/month=*/day=*/hour=*"));
            if (hours == null || hours.length == 0) {
                return "";
            }
            Arrays.sort(
                    hours, Comparator.comparing(h -> EventHour.parse(h.getPath().toString())));
            // Column types are inferred per hour; the table takes the widest type any hour has.
            LakeSchema widened = LakeSchema.startingFrom(null);
            for (FileStatus hour : hours) {
                widened.widenWith(schemaOf(hour.getPath()));
            }
            Schema schema = widened.toAvro(table);
            String location = new Path(layout.curatedRoot(), table).toString();
            StringBuilder sql = new StringBuilder();
            sql.append("-- Sluice lake table ").append(table).append(": generated after each compaction pass\n");
            sql.append("CREATE EXTERNAL TABLE IF NOT EXISTS `").append(table).append("` (\n");
            List<Schema.Field> fields = schema.getFields();
            for (int i = 0; i < fields.size(); i++) {
                sql.append("  `")
                        .append(fields.get(i).name())
                        .append("` ")
                        .append(hiveType(fields.get(i).schema()))
                        .append(i < fields.size() - 1 ? ",\n" : "\n");
            }
            sql.append(")\nPARTITIONED BY (`year` int, `month` int, `day` int, `hour` int)\nSTORED AS PARQUET\n");
            sql.append("LOCATION '").append(location).append("/'\n");
            sql.append("TBLPROPERTIES ('parquet.compression'='SNAPPY');\n\n");
            for (FileStatus hour : hours) {
                EventHour h = EventHour.parse(hour.getPath().toString());
                String[] parts = h.partitionPath().split("/");
                sql.append("ALTER TABLE `")
                        .append(table)
                        .append("` ADD IF NOT EXISTS PARTITION (year=")
                        .append(Integer.parseInt(parts[0].substring(5)))
                        .append(", month=")
                        .append(Integer.parseInt(parts[1].substring(6)))
                        .append(", day=")
                        .append(Integer.parseInt(parts[2].substring(4)))
                        .append(", hour=")
                        .append(Integer.parseInt(parts[3].substring(5)))
                        .append(") LOCATION '")
                        .append(location)
                        .append('/')
                        .append(h.partitionPath())
                        .append("/';\n");
            }
            sql.append("\n-- Or, on Athena, no partition registration at all: partition projection.\n");
            sql.append("-- ALTER TABLE `")
                    .append(table)
                    .append("` SET TBLPROPERTIES (\n")
                    .append("--   'projection.enabled'='true',\n")
                    .append("--   'projection.year.type'='integer', 'projection.year.range'='2020,2100',\n")
                    .append(
                            "--   'projection.month.type'='integer', 'projection.month.range'='1,12', 'projection.month.digits'='2',\n")
                    .append(
                            "--   'projection.day.type'='integer', 'projection.day.range'='1,31', 'projection.day.digits'='2',\n")
                    .append(
                            "--   'projection.hour.type'='integer', 'projection.hour.range'='0,23', 'projection.hour.digits'='2',\n")
                    .append("--   'storage.location.template'='")
                    .append(location)
                    .append("/year=${year}/month=${month}/day=${day}/hour=${hour}/');\n");
            return sql.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write DDL for " + table, e);
        }
    }

    /**
     * Writes {@code <lake>/_ddl/<table>.sql} for every table: each written beside its target and
     * renamed over it, so a crash never leaves a truncated DDL file behind.
     */
    public void writeAll() {
        for (String table : tables()) {
            Path dir = new Path(layout.root(), DDL_DIR);
            Path file = new Path(dir, table + ".sql");
            Path next = new Path(dir, "." + table + ".sql.next");
            try {
                try (OutputStream out = fs.create(next, true)) {
                    out.write(ddl(table).getBytes(StandardCharsets.UTF_8));
                }
                moveOver(next, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    /** Local file systems replace the target in a rename; HDFS (false) and S3A (an exception) refuse to, so make room first. */
    private void moveOver(Path from, Path to) throws IOException {
        try {
            if (fs.rename(from, to)) {
                return;
            }
        } catch (FileAlreadyExistsException e) {
            // S3A: handled below like HDFS's false
        }
        if (!(fs.delete(to, false) && fs.rename(from, to))) {
            throw new IOException("could not move " + from + " into place");
        }
    }

    /** The widest column types over the hour's files: rows merged in later may have widened a type. */
    private Schema schemaOf(Path hourDir) throws IOException {
        LakeSchema widened = LakeSchema.startingFrom(null);
        for (FileStatus file : fs.globStatus(new Path(hourDir, "*" + ParquetHourWriter.EXTENSION))) {
            // the lake's configuration, handed over: Parquet would otherwise load a fresh one per footer
            try (ParquetFileReader reader = ParquetFileReader.open(
                    LakeParquetFiles.input(fs, file),
                    HadoopReadOptions.builder(conf).build())) {
                widened.widenWith(new AvroSchemaConverter(conf)
                        .convert(reader.getFooter().getFileMetaData().getSchema()));
            }
        }
        return widened.toAvro("hour");
    }

    private static String hiveType(Schema fieldSchema) {
        Schema s = fieldSchema;
        if (s.getType() == Schema.Type.UNION) {
            s = s.getTypes().stream()
                    .filter(t -> t.getType() != Schema.Type.NULL)
                    .findFirst()
                    .orElse(s);
        }
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return "timestamp";
        }
        return switch (s.getType()) {
            case BOOLEAN -> "boolean";
            case INT -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> "string";
        };
    }
}
