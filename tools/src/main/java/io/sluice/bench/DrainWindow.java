package io.sluice.bench;

import java.util.List;

/**
 * The part of a step's run in which it processed its input: from the last observation before
 * the first record was processed to the first observation at which the last one was. Start-up
 * (group join, store initialisation) and the wait for the committed lag to reach zero fall
 * outside it, so the figures are of processing, not of how long a step takes to notice it is done.
 *
 * @param records        the input records the step drained
 * @param nanos          the window's length
 * @param appCpuNanos    the application process's CPU time within the window
 * @param brokerCpuNanos the broker's CPU time within the window
 */
record DrainWindow(long records, long nanos, long appCpuNanos, long brokerCpuNanos) {

    /**
     * The window of a run.
     *
     * @param records the input records the step drained
     * @param samples observations in time order, the first taken before processing started and the
     *                last after it finished
     */
    static DrainWindow of(long records, List<DrainSample> samples) {
        if (samples.size() < 2) {
            throw new IllegalArgumentException("a drain needs at least two samples");
        }
        long initial = samples.get(0).processed();
        long last = samples.get(samples.size() - 1).processed();
        if (last == initial) {
            throw new IllegalArgumentException("nothing was processed while sampling");
        }
        int start = 0;
        while (samples.get(start + 1).processed() == initial) {
            start++;
        }
        int end = start + 1;
        while (samples.get(end).processed() != last) {
            end++;
        }
        DrainSample from = samples.get(start);
        DrainSample to = samples.get(end);
        return new DrainWindow(
                records,
                to.nanos() - from.nanos(),
                to.appCpuNanos() - from.appCpuNanos(),
                to.brokerCpuNanos() - from.brokerCpuNanos());
    }

    /** Input records per second. */
    double recordsPerSecond() {
        return records * 1e9 / nanos;
    }

    /** Application CPU-seconds per million input records. */
    double appCpuSecondsPerMillion() {
        return perMillion(appCpuNanos);
    }

    /** Broker CPU-seconds per million input records. */
    double brokerCpuSecondsPerMillion() {
        return perMillion(brokerCpuNanos);
    }

    private double perMillion(long cpuNanos) {
        return cpuNanos / 1e9 * 1_000_000.0 / records;
    }
}
