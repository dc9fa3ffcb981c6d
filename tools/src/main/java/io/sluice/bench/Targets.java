package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The targets of issue 9, checked against a ladder's figures; each line says met, missed or why it was not checked. */
final class Targets {
    static final double PIPELINE_SHARE_OF_PASS_THROUGH = 0.50;
    static final double EXACTLY_ONCE_CPU_OVERHEAD = 0.30;
    static final double COMPACTOR_SHARE_OF_BARE_WRITER = 0.70;
    static final double P99_LIMIT_MILLIS = 1000;
    static final long HEAP_LIMIT_BYTES = 512L << 20;
    static final long DEDUP_KEYS_FOR_HEAP_TARGET = 1_000_000;
    /** A latency run offered less than this share of (g)'s drain rate does not check the target (set at half of it). */
    private static final double LATENCY_RATE_SHARE_CHECKED = 0.45;
    /** A median latency above this is records queued rather than commit intervals (100 ms each under exactly-once). */
    private static final double QUEUED_MEDIAN_MILLIS = 500;

    private Targets() {}

    /**
     * The target lines.
     *
     * @param maxHeapBytes the application JVM's maximum heap: a run that completes within 512 MiB has shown the heap target
     */
    static List<String> check(Map<LadderStep, StepResult> results, long maxHeapBytes) {
        List<String> lines = new ArrayList<>();
        StepResult b = results.get(LadderStep.STREAMS_PASS_THROUGH);
        StepResult f = results.get(LadderStep.AGGREGATES_AND_DIMENSIONS);
        StepResult g = results.get(LadderStep.EXACTLY_ONCE);
        StepResult h = results.get(LadderStep.BARE_PARQUET);
        StepResult i = results.get(LadderStep.COMPACTOR);
        String target = "(f) at ≥ 50% of (b)'s throughput";
        if (b != null && f != null) {
            double share = f.drain().recordsPerSecond() / b.drain().recordsPerSecond();
            boolean met = share >= PIPELINE_SHARE_OF_PASS_THROUGH;
            lines.add(String.format(
                            Locale.ROOT,
                            "%s: %s — (f) %,.0f records/s is %.0f%% of (b) %,.0f records/s",
                            target,
                            verdict(met),
                            f.drain().recordsPerSecond(),
                            share * 100,
                            b.drain().recordsPerSecond())
                    + (met ? "" : "; " + perRecordCosts(results, b)));
        } else {
            lines.add(target + ": not measured");
        }
        target = "(g) costs ≤ 30% more CPU per record than (f)";
        if (f != null && g != null) {
            double total = g.totalCpuSecondsPerMillion() / f.totalCpuSecondsPerMillion() - 1;
            double app = g.drain().appCpuSecondsPerMillion() / f.drain().appCpuSecondsPerMillion() - 1;
            double broker = g.drain().brokerCpuSecondsPerMillion() - f.drain().brokerCpuSecondsPerMillion();
            double appDelta = g.drain().appCpuSecondsPerMillion() - f.drain().appCpuSecondsPerMillion();
            boolean met = total <= EXACTLY_ONCE_CPU_OVERHEAD;
            lines.add(String.format(
                            Locale.ROOT,
                            "%s: %s — application + broker %.1f vs %.1f CPU-s per million records (%+.0f%%); "
                                    + "application alone %+.0f%%",
                            target,
                            verdict(met),
                            g.totalCpuSecondsPerMillion(),
                            f.totalCpuSecondsPerMillion(),
                            total * 100,
                            app * 100)
                    + (met
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "; why: of the %+.1f CPU-s per million, the broker's share is %+.1f "
                                            + "(transactions: a commit marker per partition written, offsets and producer state per commit interval) and "
                                            + "the application's %+.1f; a longer commit.interval.ms under exactly-once spreads the per-commit cost over "
                                            + "more records",
                                    broker + appDelta,
                                    broker,
                                    appDelta)));
        } else {
            lines.add(target + ": not measured");
        }
        target = "the compactor at ≥ 70% of the bare parquet-java writer's rows/s";
        if (h != null && i != null) {
            double share = i.drain().recordsPerSecond() / h.drain().recordsPerSecond();
            boolean met = share >= COMPACTOR_SHARE_OF_BARE_WRITER;
            lines.add(
                    String.format(
                                    Locale.ROOT,
                                    "%s: %s — %,.0f vs %,.0f rows/s (%.0f%%)",
                                    target,
                                    verdict(met),
                                    i.drain().recordsPerSecond(),
                                    h.drain().recordsPerSecond(),
                                    share * 100)
                            + (met
                                    ? ""
                                    : "; why: the compactor does per table-hour what the bare writer does not (list the hour's tier-0 "
                                            + "objects, read their headers, commit the hour with its _SUCCESS marker, write the DDL, delete tier 0), "
                                            + "which weighs on the small hours of a short run; CompactionBenchmark measures it on one large hour"));
        } else {
            lines.add(target + ": not measured");
        }
        target = "p99 latency < 1 s at 50% of the maximum rate with exactly-once";
        if (g != null && g.latency() != null && g.latency().samples() > 0) {
            boolean met = g.latency().p99Millis() < P99_LIMIT_MILLIS;
            double share = g.latency().ratePerSecond() / g.drain().recordsPerSecond();
            String measured = String.format(
                    Locale.ROOT,
                    "(g) p99 %,.0f ms at %,.0f records/s, %.0f%% of its drain rate",
                    g.latency().p99Millis(),
                    g.latency().ratePerSecond(),
                    share * 100);
            if (share < LATENCY_RATE_SHARE_CHECKED) {
                // a --rate well below half the maximum shows the latency at that rate, not the target's
                lines.add(target + ": not checked at the target's rate — " + measured);
            } else {
                lines.add(target + ": " + verdict(met) + " — " + measured
                        + (met ? "" : "; why: " + latencyTail(g.latency())));
            }
        } else {
            lines.add(target + ": not measured");
        }
        target = "heap < 512 MiB with 1 M live dedup keys";
        StepResult dedup = g != null && g.liveDedupKeys() >= 0 ? g : results.get(LadderStep.DEDUP);
        if (dedup == null || dedup.liveDedupKeys() < 0) {
            lines.add(target + ": not measured (no deduplication configured)");
        } else if (dedup.liveDedupKeys() < DEDUP_KEYS_FOR_HEAP_TARGET) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%s: not checked by this run — %s had only ~%,d live dedup keys (heap after GC at most "
                            + "%,d MiB); more records, or a longer dedup retention, reach 1 M",
                    target,
                    dedup.step().label(),
                    dedup.liveDedupKeys(),
                    dedup.memory().liveHeapBytes() >> 20));
        } else {
            boolean boundedRun = maxHeapBytes <= HEAP_LIMIT_BYTES;
            boolean met = boundedRun || dedup.memory().liveHeapBytes() < HEAP_LIMIT_BYTES;
            lines.add(String.format(
                    Locale.ROOT,
                    "%s: %s — %s held ~%,d live dedup keys %s; heap after GC at most %,d MiB",
                    target,
                    verdict(met),
                    dedup.step().label(),
                    dedup.liveDedupKeys(),
                    boundedRun
                            ? String.format(Locale.ROOT, "within a %,d MiB maximum heap", maxHeapBytes >> 20)
                            : String.format(Locale.ROOT, "(maximum heap %,d MiB)", maxHeapBytes >> 20),
                    dedup.memory().liveHeapBytes() >> 20));
        }
        return lines;
    }

    /**
     * Why (f) is slower than (b): the time per record each step from (b) to (f) adds, the largest
     * named, against the budget (f) has if it is to run at half (b)'s rate.
     */
    private static String perRecordCosts(Map<LadderStep, StepResult> results, StepResult b) {
        double base = 1e6 / b.drain().recordsPerSecond();
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "why: per record, (b) takes %.1f µs", base));
        double previous = base;
        LadderStep largest = null;
        double largestAdded = 0;
        for (LadderStep step : List.of(
                LadderStep.DECODE_ENCODE, LadderStep.MASKING, LadderStep.DEDUP, LadderStep.AGGREGATES_AND_DIMENSIONS)) {
            StepResult r = results.get(step);
            if (r == null) {
                continue;
            }
            double micros = 1e6 / r.drain().recordsPerSecond();
            double added = micros - previous;
            why.append(String.format(
                    Locale.ROOT, ", %s %s %+.1f µs", step.label(), step.adds().replaceFirst("^\\+ ", ""), added));
            if (added > largestAdded) {
                largest = step;
                largestAdded = added;
            }
            previous = micros;
        }
        why.append(String.format(
                Locale.ROOT,
                "; at 50%% of (b) the steps after it may add %.1f µs in all, they add %.1f µs",
                base,
                previous - base));
        if (largest != null) {
            why.append(String.format(Locale.ROOT, ", most of it %s", largest.label()));
        }
        return why.toString();
    }

    /** Why p99 is high: records queued (the median far above a commit interval), or a tail of pauses over a short median. */
    private static String latencyTail(LatencyFigures latency) {
        if (latency.p50Millis() > QUEUED_MEDIAN_MILLIS) {
            return String.format(
                    Locale.ROOT,
                    "p50 is already %,.0f ms, many commit intervals: records queued, because the offered "
                            + "rate is more than (g) sustains with live traffic, each record waiting for a transaction to commit — a drain "
                            + "in large batches sustains more than that; a lower --rate, or more cores or stream threads, keeps the queue "
                            + "short",
                    latency.p50Millis());
        }
        return String.format(
                Locale.ROOT,
                "p50 is %,.0f ms, a few commit intervals (a read-committed consumer sees a record "
                        + "only once its transaction commits); the tail is records held up by pauses — commits, RocksDB flushes, "
                        + "garbage collection, the broker on the same cores",
                latency.p50Millis());
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**missed**";
    }
}
