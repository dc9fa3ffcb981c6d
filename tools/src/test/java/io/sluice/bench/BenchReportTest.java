package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static BenchRun run(List<StepResult> results) {
        return new BenchRun(
                "sluice bench --config c.yaml --records 1000",
                new MachineInfo(2, "AMD EPYC 7B13", 24L << 30, "OpenJDK 17"),
                1L << 30,
                "0.50 0.40 0.30",
                "1.90 0.90 0.50",
                Instant.parse("2026-11-22T10:00:00Z"),
                Duration.ofSeconds(321),
                List.of("1,000 generated records."),
                List.of("one broker."),
                results);
    }

    @Test
    void statesTheCommandMachineAndLoadAverages() {
        String report = BenchReport.render(
                run(List.of(StepResults.step(LadderStep.BARE_CLIENTS).build())));

        assertThat(report)
                .contains(
                        "Command: `sluice bench --config c.yaml --records 1000`",
                        "2 cores, AMD EPYC 7B13",
                        "0.50 0.40 0.30 before, 1.90 0.90 0.50 after",
                        "maximum heap 1,024 MiB",
                        "took 321 s");
    }

    @Test
    void hasOneTableRowPerStepWithItsFigures() {
        String report = BenchReport.render(run(List.of(
                StepResults.step(LadderStep.STREAMS_PASS_THROUGH)
                        .recordsPerSecond(61_234)
                        .cpuPerMillion(15.5, 11.25)
                        .build(),
                StepResults.step(LadderStep.EXACTLY_ONCE)
                        .recordsPerSecond(6_058)
                        .latency(179, 633, 3_029)
                        .heapMiB(520, 180)
                        .disk(70L << 20)
                        .build(),
                StepResults.step(LadderStep.COMPACTOR).recordsPerSecond(24_721).build())));

        assertThat(report.lines().filter(l -> l.startsWith("| ("))).hasSize(3);
        assertThat(report).contains("| (b) | Kafka Streams, stateless pass-through | 61,234 | 15.5 | 11.3 | – |");
        assertThat(report)
                .contains(
                        "| (g) | (f) with exactly_once_v2 | 6,058 |",
                        "| 179 / 633 ms | 520 / 180 MiB |",
                        "| 70.0 MiB |");
        assertThat(report).contains("| (i) | lake: the hourly compactor | 24,721 | 100.0 | – |");
    }

    @Test
    void listsStepNotesAndTheTargets() {
        String report = BenchReport.render(run(List.of(StepResults.step(LadderStep.DEDUP)
                .note("9,392 duplicates dropped.")
                .build())));

        assertThat(report)
                .contains(
                        "- (e) 9,392 duplicates dropped.",
                        "## Targets",
                        "- (f) at ≥ 50% of (b)'s throughput: not measured");
    }
}
