package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyFiguresTest {
    @Test
    void takesNearestRankPercentiles() {
        long[] latencies = LongStream.rangeClosed(1, 200).map(i -> 201 - i).toArray(); // 200 down to 1

        LatencyFigures figures = LatencyFigures.of(latencies, 1000, 200);

        assertThat(figures.p50Millis()).isEqualTo(100);
        assertThat(figures.p99Millis()).isEqualTo(198);
        assertThat(figures.maxMillis()).isEqualTo(200);
        assertThat(figures.samples()).isEqualTo(200);
    }

    @Test
    void saysThereWereNoSamples() {
        LatencyFigures figures = LatencyFigures.of(new long[0], 1000, 50);

        assertThat(figures.samples()).isZero();
        assertThat(figures.p99Millis()).isNaN();
    }
}
