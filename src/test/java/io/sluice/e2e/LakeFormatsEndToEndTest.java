package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sinks.EventHour;
import io.sluice.tools.SluiceTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The same {@code sluice replay} on the real broker, once into the Hive layout (the default) and once with {@code
 * lake.format: iceberg}: every table — curated rows, and the SCD2 history kept as upserts — has the same rows per
 * table-hour in both, the Iceberg ones read back with Iceberg's own generic reader.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LakeFormatsEndToEndTest {
    /** Where a row was read from differs between two runs of a broker (transaction markers take offsets); what it holds does not. */
    private static final Set<String> COORDINATES = Set.of("__kafka_partition", "__kafka_offset");

    private static final List<String> TABLES = List.of("shop_users", "mmp_events", "dim_users_history");

    @TempDir
    static Path dir;

    static Path hive;
    static Path iceberg;

    @BeforeAll
    static void replayInBothFormats() throws IOException {
        hive = replay("hive", "");
        iceberg = replay("iceberg", "  format: iceberg\n");
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyTableHasTheSameRowsPerTableHourInBothLayouts() throws Exception {
        HadoopCatalog catalog = new HadoopCatalog(
                new Configuration(), iceberg.resolve("lake/iceberg").toString());
        for (String table : TABLES) {
            Map<String, List<String>> hiveRows = hiveRows(hive.resolve("lake/curated/" + table));
            Table icebergTable = catalog.loadTable(TableIdentifier.of(Namespace.of("sluice"), table));
            Map<String, List<String>> icebergRows = icebergRows(icebergTable);

            assertThat(hiveRows).as(table).isNotEmpty();
            assertThat(icebergRows).as(table).isEqualTo(hiveRows);
        }
        assertThat(Files.exists(iceberg.resolve("lake/curated")))
                .as("with format: iceberg no Hive-layout tree is written")
                .isFalse();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theIcebergHistoryHasOneRowPerVersion() throws Exception {
        HadoopCatalog catalog = new HadoopCatalog(
                new Configuration(), iceberg.resolve("lake/iceberg").toString());
        Table history = catalog.loadTable(TableIdentifier.of(Namespace.of("sluice"), "dim_users_history"));
        List<String> scdIds = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(history).build()) {
            records.forEach(r -> scdIds.add(r.getField("scd_id").toString()));
        }
        assertThat(scdIds).isNotEmpty().doesNotHaveDuplicates();
        assertThat(history.schema().findField("__event_time").doc())
                .as("column docs come from the curated Avro schemas")
                .isNotBlank();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void eraseRemovesOneUserFromBothLayoutsAlikeAndNothingElse() throws Exception {
        Map<String, List<String>> users = hiveRows(hive.resolve("lake/curated/shop_users"));
        String row = users.values().iterator().next().get(0);
        java.util.regex.Matcher email =
                java.util.regex.Pattern.compile("email=(k1:[^,}]+)").matcher(row);
        assertThat(email.find()).as(row).isTrue();
        String pseudonym = email.group(1);
        Map<String, List<String>> eventsBefore = hiveRows(hive.resolve("lake/curated/mmp_events"));

        for (Path run : List.of(hive, iceberg)) {
            StringWriter printed = new StringWriter();
            CommandLine cli = SluiceTools.commandLine();
            cli.setOut(new PrintWriter(printed, true));
            int exit = cli.execute(
                    "erase",
                    "--config",
                    run.resolve("replay.yaml").toString(),
                    "--lake",
                    run.resolve("lake").toString(),
                    "--pseudonym",
                    pseudonym,
                    "--column",
                    "email",
                    "--skip-topics");
            assertThat(exit).as(printed.toString()).isZero();
            assertThat(printed.toString()).contains("shop_users", "dim_users_history");
        }

        HadoopCatalog catalog = new HadoopCatalog(
                new Configuration(), iceberg.resolve("lake/iceberg").toString());
        for (String table : TABLES) {
            Map<String, List<String>> hiveRows = hiveRows(hive.resolve("lake/curated/" + table));
            Map<String, List<String>> icebergRows =
                    icebergRows(catalog.loadTable(TableIdentifier.of(Namespace.of("sluice"), table)));
            assertThat(icebergRows).as(table + " after the erasure").isEqualTo(hiveRows);
            assertThat(hiveRows.toString()).as(table).doesNotContain(pseudonym);
        }
        assertThat(hiveRows(hive.resolve("lake/curated/mmp_events")))
                .as("a table without the column is not touched")
                .isEqualTo(eventsBefore);
    }

    private static Path replay(String name, String format) throws IOException {
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        Path key = run.resolve("pii.key");
        Files.writeString(key, "replay-e2e-secret-key-0123456789");
        Path config = run.resolve("replay.yaml");
        Files.writeString(
                config,
                Fixtures.resource("replay.yaml").replace("${KEY_FILE}", key.toString()) + format
                        + "dimensions:\n  - { source: shop, table: users, key: [id] }\n");
        Path users = Fixtures.copy("shop-users.jsonl", run);
        Path events = Fixtures.copy("mmp-events.jsonl", run);
        StringWriter stderr = new StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(stderr, true));
        int exit = cli.execute(
                "replay",
                "--config",
                config.toString(),
                "--input",
                "shop.public.users=" + users,
                "--input",
                "mmp.appsflyer.events=" + events,
                "--lake",
                run.resolve("lake").toString(),
                "--out",
                run.resolve("out").toString());
        assertThat(exit).as(stderr.toString()).isZero();
        return run;
    }

    /** Rows by hour partition path, each as its non-null columns (coordinates aside), sorted. */
    private static Map<String, List<String>> hiveRows(Path tableDir) throws IOException {
        Map<String, List<String>> byHour = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tableDir)) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        for (Path file : files) {
            String hour = tableDir.relativize(file.getParent()).toString();
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                    .build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    Map<String, String> row = new TreeMap<>();
                    for (org.apache.avro.Schema.Field field : r.getSchema().getFields()) {
                        put(row, field.name(), r.get(field.name()));
                    }
                    byHour.computeIfAbsent(hour, h -> new ArrayList<>()).add(row.toString());
                }
            }
        }
        byHour.values().forEach(rows -> rows.sort(null));
        return byHour;
    }

    private static Map<String, List<String>> icebergRows(Table table) throws IOException {
        Map<String, List<String>> byHour = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                Map<String, String> row = new TreeMap<>();
                r.struct().fields().forEach(field -> put(row, field.name(), r.getField(field.name())));
                long at = ((OffsetDateTime) r.getField("__event_time"))
                        .toInstant()
                        .toEpochMilli();
                byHour.computeIfAbsent(EventHour.containing(at).partitionPath(), h -> new ArrayList<>())
                        .add(row.toString());
            }
        }
        byHour.values().forEach(rows -> rows.sort(null));
        return byHour;
    }

    private static void put(Map<String, String> row, String column, Object value) {
        if (value == null || COORDINATES.contains(column)) {
            return;
        }
        Object plain = value instanceof Instant instant
                ? instant.toEpochMilli()
                : value instanceof OffsetDateTime time ? time.toInstant().toEpochMilli() : value;
        row.put(column, plain.toString());
    }
}
