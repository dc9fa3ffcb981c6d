package io.sluice.bench;

import java.util.Arrays;

/**
 * End-to-end latency of an open-loop run: producer send time to the curated record being consumed.
 *
 * @param p50Millis     median
 * @param p99Millis     99th percentile
 * @param maxMillis     worst
 * @param samples       records measured
 * @param ratePerSecond the rate records were offered at
 * @param sent          records sent
 */
record LatencyFigures(
        double p50Millis, double p99Millis, double maxMillis, int samples, double ratePerSecond, long sent) {

    /** Figures from latencies in milliseconds (the array is sorted in place). */
    static LatencyFigures of(long[] latenciesMillis, double ratePerSecond, long sent) {
        if (latenciesMillis.length == 0) {
            return new LatencyFigures(Double.NaN, Double.NaN, Double.NaN, 0, ratePerSecond, sent);
        }
        Arrays.sort(latenciesMillis);
        return new LatencyFigures(
                percentile(latenciesMillis, 50),
                percentile(latenciesMillis, 99),
                latenciesMillis[latenciesMillis.length - 1],
                latenciesMillis.length,
                ratePerSecond,
                sent);
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
