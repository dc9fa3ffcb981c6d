package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputProgressTest {
    private static final long IDLE = 300_000;

    @Test
    void theLowWatermarkIsTheSlowestInputsLatestArrival() {
        InputProgress inputs = new InputProgress(IDLE);
        inputs.observe("0_0", 10_000_000, 0);
        inputs.observe("0_1", 2_000_000, 0);
        inputs.observe("0_0", 12_000_000, 1);

        assertThat(inputs.lowWatermark(2)).isEqualTo(2_000_000);
    }

    @Test
    void anInputSilentLongerThanTheIdleTimeNoLongerHoldsItBack() {
        InputProgress inputs = new InputProgress(IDLE);
        inputs.observe("0_0", 2_000_000, 0);
        inputs.observe("0_1", 9_000_000, IDLE + 1);

        assertThat(inputs.lowWatermark(IDLE + 1)).isEqualTo(9_000_000);
    }

    @Test
    void anInputRestoredFromTheStoreCountsAsHeardFromAtStart() {
        InputProgress inputs = new InputProgress(IDLE);
        inputs.restore("0_1", 1_000_000, 50);
        inputs.observe("0_0", 5_000_000, 60);

        assertThat(inputs.lowWatermark(60)).isEqualTo(1_000_000);
        assertThat(inputs.stored("0_1")).isEqualTo(1_000_000);
    }

    @Test
    void withEveryInputSilentTheNewestProgressCounts() {
        InputProgress inputs = new InputProgress(IDLE);
        inputs.observe("0_0", 3_000_000, 0);
        inputs.observe("0_1", 4_000_000, 0);

        assertThat(inputs.lowWatermark(IDLE * 10)).isEqualTo(4_000_000);
    }

    @Test
    void nothingObservedHasNoWatermark() {
        assertThat(new InputProgress(IDLE).lowWatermark(0)).isEqualTo(Long.MIN_VALUE);
    }
}
