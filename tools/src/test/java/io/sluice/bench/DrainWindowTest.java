package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainWindowTest {
    /** Samples 100 ms apart: the step's counter, and CPU growing by the given milliseconds per sample. */
    private static final class Samples {
        private final List<DrainSample> samples = new ArrayList<>();
        private long appCpu;
        private long brokerCpu;

        Samples at(long processed, long appCpuMillis, long brokerCpuMillis) {
            appCpu += appCpuMillis * 1_000_000;
            brokerCpu += brokerCpuMillis * 1_000_000;
            samples.add(new DrainSample(samples.size() * 100_000_000L, processed, appCpu, brokerCpu));
            return this;
        }

        List<DrainSample> list() {
            return samples;
        }
    }

    @Test
    void spansFromTheLastIdleSampleToTheFirstSampleWithTheFinalCount() {
        List<DrainSample> samples = new Samples()
                .at(0, 0, 0)
                .at(0, 5, 1) // starting up: not counted
                .at(400, 80, 20)
                .at(1000, 90, 30) // draining
                .at(1000, 3, 1)
                .at(1000, 3, 1) // waiting for the committed lag: not counted
                .list();

        DrainWindow window = DrainWindow.of(1000, samples);

        assertThat(window.nanos()).isEqualTo(200_000_000L);
        assertThat(window.appCpuNanos()).isEqualTo(170_000_000L);
        assertThat(window.brokerCpuNanos()).isEqualTo(50_000_000L);
    }

    @Test
    void givesRecordsPerSecondAndCpuSecondsPerMillionRecords() {
        DrainWindow window = new DrainWindow(200_000, 4_000_000_000L, 10_000_000_000L, 2_000_000_000L);

        assertThat(window.recordsPerSecond()).isEqualTo(50_000.0);
        assertThat(window.appCpuSecondsPerMillion()).isEqualTo(50.0);
        assertThat(window.brokerCpuSecondsPerMillion()).isEqualTo(10.0);
    }

    @Test
    void refusesARunInWhichNothingWasProcessed() {
        assertThatThrownBy(() ->
                        DrainWindow.of(10, new Samples().at(0, 0, 0).at(0, 1, 1).list()))
                .hasMessageContaining("nothing was processed");
    }
}
