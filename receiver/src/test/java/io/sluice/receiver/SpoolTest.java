package io.sluice.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private static PushRecord push(int n) {
        return new PushRecord(
                "com.example.game",
                ("af-" + n).getBytes(StandardCharsets.UTF_8),
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
                1_700_000_000_000L + n);
    }

    private static List<String> values(List<Spool.Entry> entries) {
        return entries.stream()
                .map(e -> new String(e.record().value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void entriesComeBackInTheOrderWrittenAndLeaveOnceDelivered() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 256)) { // tiny segments: the order must hold across files
            for (int i = 0; i < 20; i++) {
                spool.append(push(i)).get();
            }
            assertThat(spool.entries()).isEqualTo(20);
            List<Spool.Entry> first = spool.peek(7);
            assertThat(values(first))
                    .containsExactly(
                            "{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}");
            assertThat(first.get(3).record().key()).isEqualTo("af-3".getBytes(StandardCharsets.UTF_8));
            spool.delivered(first);
            List<Spool.Entry> rest = spool.peek(100);
            assertThat(rest).hasSize(13);
            assertThat(values(rest).get(0)).isEqualTo("{\"n\":7}");
            spool.delivered(rest);
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.peek(1)).isEmpty();
            assertThat(spool.oldestReceivedAt()).isEmpty();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".spool")).count())
                    .as("delivered segments are deleted")
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aReopenedSpoolDeliversWhatWasNotDeliveredAndNothingTwice() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 256)) {
            for (int i = 0; i < 10; i++) {
                spool.append(push(i)).get();
            }
            spool.delivered(spool.peek(4));
        }
        try (Spool again = Spool.open(dir, 1 << 20, 256)) {
            assertThat(again.entries()).isEqualTo(6);
            assertThat(again.oldestReceivedAt()).hasValue(1_700_000_000_004L);
            assertThat(values(again.peek(100)))
                    .startsWith("{\"n\":4}")
                    .hasSize(6)
                    .endsWith("{\"n\":9}");
            again.append(push(10)).get();
            assertThat(values(again.peek(100))).hasSize(7).endsWith("{\"n\":10}");
        }
    }

    @Test
    void aTornLastEntryIsCutOffAndTheEntriesBeforeItSurvive() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            for (int i = 0; i < 3; i++) {
                spool.append(push(i)).get();
            }
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(f -> f.toString().endsWith(".spool"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] half = java.util.Arrays.copyOf(Spool.frame(push(3)), 20); // a crash in the middle of the fourth write
        Files.write(segment, half, StandardOpenOption.APPEND);

        try (Spool again = Spool.open(dir, 1 << 20)) {
            assertThat(values(again.peek(100))).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            again.append(push(4)).get();
            assertThat(values(again.peek(100))).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":4}");
        }
    }

    @Test
    void aFullSpoolRefusesAtOnceAndTakesMoreOnceDelivered() throws Exception {
        int frame = Spool.frame(push(0)).length;
        try (Spool spool = Spool.open(dir, 3L * frame, 1 << 20)) {
            for (int i = 0; i < 3; i++) {
                spool.append(push(i)).get();
            }
            assertThatThrownBy(() -> spool.append(push(3)).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(Spool.SpoolFullException.class);
            spool.delivered(spool.peek(1));
            spool.append(push(4)).get();
            assertThat(spool.entries()).isEqualTo(3);
        }
    }

    @Test
    void aPushWithoutKeyAndWithAnEmptyBodyRoundTrips() throws IOException, Exception {
        try (Spool spool = Spool.open(dir, 1 << 20)) {
            spool.append(new PushRecord("app", null, new byte[0], 5)).get();
            PushRecord back = spool.peek(1).get(0).record();
            assertThat(back.key()).isNull();
            assertThat(back.value()).isEmpty();
            assertThat(back.app()).isEqualTo("app");
            assertThat(back.receivedAt()).isEqualTo(5);
        }
    }
}
