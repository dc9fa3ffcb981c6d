package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Tier0ReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryLineSkippingBlankOnesWithExactNumbers() throws IOException {
        List<Map<String, Object>> rows = read("{\"id\":1,\"amount\":2.50}\n\n{\"id\":2,\"amount\":null}\n");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("id", 1L).containsEntry("amount", new java.math.BigDecimal("2.50"));
        assertThat(rows.get(1)).containsEntry("id", 2L).containsEntry("amount", null);
    }

    @Test
    void rewritesColumnNamesThatAreInvalidInAvroAndKeepsCollidingOnesApart() throws IOException {
        List<Map<String, Object>> rows =
                read("{\"ok_name\":1,\"user-id\":2,\"user.id\":3,\"9lives\":4}\n{\"ok_name\":5}\n");

        assertThat(rows.get(0)).containsOnlyKeys("ok_name", "user_id", "user_id_2", "_9lives");
        assertThat(rows.get(0)).containsEntry("user_id", 2L).containsEntry("user_id_2", 3L);
        assertThat(rows.get(1))
                .containsEntry("ok_name", 5L)
                .containsEntry("user_id", null)
                .containsEntry("_9lives", null);
    }

    @Test
    void keepsNestedValuesAndBigNumbers() throws IOException {
        List<Map<String, Object>> rows =
                read("{\"tags\":[\"a\",1.5],\"ctx\":{\"k\":2},\"big\":123456789012345678901234567890,\"ok\":true}\n");

        assertThat(rows.get(0).get("tags")).isEqualTo(List.of("a", new java.math.BigDecimal("1.5")));
        assertThat(rows.get(0).get("ctx")).isEqualTo(Map.of("k", 2L));
        assertThat(rows.get(0).get("big")).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(rows.get(0).get("ok")).isEqualTo(true);
    }

    @Test
    void failsOnALineThatIsNotAnObjectNamingTheLineButNotItsContent() throws IOException {
        Path array = Files.writeString(dir.resolve("a.jsonl"), "{\"id\":1}\n[\"secret@example.com\"]\n");
        Path broken =
                Files.writeString(dir.resolve("b.jsonl"), "{\"id\":1}\n{\"id\":2}\n{\"email\":\"secret@example.com\n");

        assertThatThrownBy(() -> read(array)).hasMessageContaining("line 2 of").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> read(broken)).hasMessageContaining("line 3 of").hasMessageNotContaining("secret");
    }

    @Test
    void anAvroObjectsHeaderTellsItsColumnTypesAndEarliestEventTimeWithoutItsRows() throws IOException {
        LakeFileSystem lake = LakeFileSystem.open(dir.toString());
        List<Tier0Writer.Tier0Object> objects = new Tier0Writer(lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:05:00Z")
                                .offset(0, 0)
                                .with("id", 1)
                                .with("amount", 2.5)
                                .with("note", null)
                                .record(),
                        CuratedRow.at("2026-11-22T03:01:00Z")
                                .offset(0, 1)
                                .with("id", 2)
                                .with("amount", 3)
                                .with("note", null)
                                .record()));
        LakeColumns columns = new LakeColumns();

        Tier0AvroFile.Tier0Header header =
                new Tier0Reader(lake.fs()).header(objects.get(0).path(), columns);

        assertThat(header.earliestEventTime())
                .isEqualTo(java.time.Instant.parse("2026-11-22T03:01:00Z").toEpochMilli());
        assertThat(header.types()[columns.find("id")]).isEqualTo(LakeSchema.ColumnType.LONG);
        assertThat(header.types()[columns.find("amount")])
                .as("a decimal and a whole number")
                .isEqualTo(LakeSchema.ColumnType.DOUBLE);
        assertThat(header.types()[columns.find("note")]).as("only nulls").isNull();
        assertThat(header.types()[columns.find("__kafka_offset")]).isEqualTo(LakeSchema.ColumnType.LONG);
    }

    @Test
    void aJsonLinesObjectHasNoHeader() throws IOException {
        Path object = Files.writeString(dir.resolve("o.jsonl"), "{\"id\":1}\n");

        assertThat(new Tier0Reader(LakeFileSystem.open(dir.toString()).fs())
                        .header(new org.apache.hadoop.fs.Path(object.toUri()), new LakeColumns()))
                .isNull();
    }

    private List<Map<String, Object>> read(String content) throws IOException {
        return read(Files.writeString(dir.resolve("o.jsonl"), content));
    }

    /** The rows read, each as a map of its non-absent columns by Avro name. */
    private List<Map<String, Object>> read(Path object) throws IOException {
        LakeFileSystem lake = LakeFileSystem.open(dir.toString());
        LakeColumns columns = new LakeColumns();
        List<Object[]> rows = new ArrayList<>();
        new Tier0Reader(lake.fs()).read(new org.apache.hadoop.fs.Path(object.toUri()), columns, rows::add);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object[] row : rows) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                map.put(columns.avroName(i), row[i]);
            }
            maps.add(map);
        }
        return maps;
    }
}
