package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<Map<String, Object>> rows = read("{\"ok_name\":1,\"user-id\":2,\"user.id\":3,\"9lives\":4}\n{\"ok_name\":5}\n");

        assertThat(rows.get(0)).containsOnlyKeys("ok_name", "user_id", "user_id_2", "_9lives");
        assertThat(rows.get(0)).containsEntry("user_id", 2L).containsEntry("user_id_2", 3L);
        assertThat(rows.get(1)).containsOnlyKeys("ok_name");
    }

    @Test
    void failsOnALineThatIsNotAnObjectNamingTheLineButNotItsContent() throws IOException {
        Path object = Files.writeString(dir.resolve("o.jsonl"), "{\"id\":1}\n[\"secret@example.com\"]\n");

        assertThatThrownBy(() -> read(object)).hasMessageContaining("line 2 of").hasMessageNotContaining("secret");
    }

    private List<Map<String, Object>> read(String content) throws IOException {
        return read(Files.writeString(dir.resolve("o.jsonl"), content));
    }

    private List<Map<String, Object>> read(Path object) throws IOException {
        LakeFileSystem lake = LakeFileSystem.open(dir.toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        new Tier0Reader(lake.fs()).read(new org.apache.hadoop.fs.Path(object.toUri()), rows::add);
        return rows;
    }
}
