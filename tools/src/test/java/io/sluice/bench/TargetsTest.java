package io.sluice.bench;

import static io.sluice.bench.LadderStep.AGGREGATES_AND_DIMENSIONS;
import static io.sluice.bench.LadderStep.BARE_PARQUET;
import static io.sluice.bench.LadderStep.COMPACTOR;
import static io.sluice.bench.LadderStep.EXACTLY_ONCE;
import static io.sluice.bench.LadderStep.STREAMS_PASS_THROUGH;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
    private static final long GIB = 1L << 30;
    private final Map<LadderStep, StepResult> results = new EnumMap<>(LadderStep.class);

    private void add(StepResults step) {
        StepResult result = step.build();
        results.put(result.step(), result);
    }

    private String line(String startingWith, long maxHeap) {
        List<String> lines = Targets.check(results, maxHeap);
        return lines.stream()
                .filter(l -> l.startsWith(startingWith))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void pipelineBelowHalfOfThePassThroughMissesItsTarget() {
        add(StepResults.step(STREAMS_PASS_THROUGH).recordsPerSecond(60_000));
        add(StepResults.step(AGGREGATES_AND_DIMENSIONS).recordsPerSecond(12_000));

        assertThat(line("(f) at", GIB)).contains("**missed**", "20%", "12,000", "60,000");
    }

    @Test
    void aMissedPipelineTargetSaysWhichStepsTheTimePerRecordGoesTo() {
        add(StepResults.step(STREAMS_PASS_THROUGH).recordsPerSecond(100_000));
        add(StepResults.step(LadderStep.DECODE_ENCODE).recordsPerSecond(50_000));
        add(StepResults.step(LadderStep.MASKING).recordsPerSecond(40_000));
        add(StepResults.step(LadderStep.DEDUP).recordsPerSecond(25_000));
        add(StepResults.step(AGGREGATES_AND_DIMENSIONS).recordsPerSecond(20_000));

        assertThat(line("(f) at", GIB))
                .contains(
                        "(b) takes 10.0 µs",
                        "(c) decode JSON, encode Avro (keep-everything policy) +10.0 µs",
                        "(e) deduplication +15.0 µs",
                        "may add 10.0 µs in all, they add 40.0 µs",
                        "most of it (e)");
    }

    @Test
    void aMissedExactlyOnceCpuTargetSplitsTheExtraBetweenBrokerAndApplication() {
        add(StepResults.step(AGGREGATES_AND_DIMENSIONS).cpuPerMillion(60, 15));
        add(StepResults.step(EXACTLY_ONCE).cpuPerMillion(70, 35));

        assertThat(line("(g) costs", GIB))
                .contains(
                        "**missed**",
                        "of the +30.0 CPU-s per million, the broker's share is +20.0",
                        "the application's +10.0");
    }

    @Test
    void exactlyOnceWithinThirtyPercentMoreCpuMeetsItsTarget() {
        add(StepResults.step(AGGREGATES_AND_DIMENSIONS).cpuPerMillion(200, 40));
        add(StepResults.step(EXACTLY_ONCE).cpuPerMillion(210, 90));

        assertThat(line("(g) costs", GIB)).contains("**met**", "300.0 vs 240.0", "+25%");
    }

    @Test
    void compactorIsComparedWithTheBareWriter() {
        add(StepResults.step(BARE_PARQUET).recordsPerSecond(80_000));
        add(StepResults.step(COMPACTOR).recordsPerSecond(60_000));

        assertThat(line("the compactor", GIB)).contains("**met**", "75%");
    }

    @Test
    void exactlyOnceLatencyAboveOneSecondMissesItsTarget() {
        add(StepResults.step(EXACTLY_ONCE).recordsPerSecond(6_000).latency(400, 1_250, 3_000));

        assertThat(line("p99 latency", GIB)).contains("**missed**", "1,250 ms", "p50 is 400 ms", "pauses");
    }

    @Test
    void aLatencyRunWellBelowHalfTheMaximumRateDoesNotCheckTheTarget() {
        add(StepResults.step(EXACTLY_ONCE).recordsPerSecond(10_000).latency(190, 270, 3_000));

        assertThat(line("p99 latency", GIB))
                .contains("not checked at the target's rate", "270 ms", "30% of its drain rate")
                .doesNotContain("**met**");
    }

    @Test
    void exactlyOnceLatencyWithAHighMedianIsCalledQueueing() {
        add(StepResults.step(EXACTLY_ONCE).recordsPerSecond(13_400).latency(1_800, 5_200, 6_700));

        assertThat(line("p99 latency", GIB)).contains("**missed**", "p50 is already 1,800 ms", "records queued");
    }

    @Test
    void heapTargetIsNotCheckedBelowAMillionLiveDedupKeys() {
        add(StepResults.step(EXACTLY_ONCE).dedupKeys(380_000));

        assertThat(line("heap < 512 MiB", GIB)).contains("not checked", "380,000");
    }

    @Test
    void aRunWithinA512MiBHeapMeetsTheHeapTarget() {
        add(StepResults.step(EXACTLY_ONCE).dedupKeys(1_100_000).heapMiB(500, 300));

        assertThat(line("heap < 512 MiB", 512L << 20)).contains("**met**", "within a 512 MiB maximum heap");
    }

    @Test
    void targetsOfStepsThatDidNotRunAreNotMeasured() {
        assertThat(Targets.check(results, GIB)).hasSize(5).allMatch(l -> l.contains("not measured"));
    }
}
