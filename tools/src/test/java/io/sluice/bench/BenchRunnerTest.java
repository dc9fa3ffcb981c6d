package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
    @Test
    void readsStepsByTheirLettersInLadderOrder() {
        assertThat(BenchRunner.steps("gfB"))
                .containsExactly(
                        LadderStep.STREAMS_PASS_THROUGH, LadderStep.AGGREGATES_AND_DIMENSIONS, LadderStep.EXACTLY_ONCE);
    }

    @Test
    void timesOnlyStepsThatWriteCuratedRecords() {
        assertThat(BenchRunner.latencySteps("cg")).containsExactly(LadderStep.DECODE_ENCODE, LadderStep.EXACTLY_ONCE);
        assertThatThrownBy(() -> BenchRunner.latencySteps("bf"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--latency-steps")
                .hasMessageContaining("'b'");
    }

    @Test
    void rejectsALetterThatIsNoStep() {
        assertThatThrownBy(() -> BenchRunner.steps("abz"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--steps");
    }
}
