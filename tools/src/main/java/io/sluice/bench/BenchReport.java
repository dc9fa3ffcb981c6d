package io.sluice.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Renders a bench run as Markdown: the setup, one table with a row per ladder step, and the targets. */
final class BenchReport {
    private static final String DASH = "–";

    private BenchReport() {}

    static String render(BenchRun run) {
        StringBuilder md = new StringBuilder();
        md.append("# sluice bench\n\n");
        md.append("Command: `").append(run.command()).append("`\n\n");
        MachineInfo m = run.machine();
        md.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %s, %.1f GiB; %s, maximum heap %,d MiB. Load average (1, 5, 15 min) "
                        + "%s before, %s after. Started %s, took %d s.%n%n",
                m.cores(),
                m.cpuModel(),
                m.memoryBytes() / (double) (1L << 30),
                m.java(),
                run.maxHeapBytes() >> 20,
                run.loadBefore(),
                run.loadAfter(),
                run.startedAt(),
                run.took().toSeconds()));
        md.append("Input: ").append(String.join(" ", run.input())).append("\n\n");
        md.append("Setup: ").append(String.join(" ", run.setup())).append("\n\n");
        md.append("| step | adds | records/s | app CPU-s / M records | broker CPU-s / M records | latency p50 / p99 "
                + "| heap: peak / after GC | peak RSS | on disk |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<LadderStep, StepResult> byStep = new EnumMap<>(LadderStep.class);
        for (StepResult r : run.results()) {
            byStep.put(r.step(), r);
            md.append(row(r));
        }
        md.append('\n');
        md.append(
                "Records/s: input records drained per second (for (h) and (i): rows written per second), between the last "
                        + "observation before the step processed its first record and the first at which it had processed its last; CPU "
                        + "from /proc/<pid>/stat of each process over the same window. Heap: the heap memory pools' peaks summed (garbage "
                        + "included: it grows with the maximum heap), and the highest heap in use right after a garbage collection (the live "
                        + "data); peak RSS: VmHWM of the application process, reset at each step. On disk: state stores at the end of the step "
                        + "(for (h) and (i): Parquet written).\n\n");
        for (StepResult r : run.results()) {
            if (!r.note().isEmpty()) {
                md.append("- ")
                        .append(r.step().label())
                        .append(' ')
                        .append(r.note())
                        .append('\n');
            }
        }
        md.append("\n## Targets\n\n");
        for (String line : Targets.check(byStep, run.maxHeapBytes())) {
            md.append("- ").append(line).append('\n');
        }
        return md.toString();
    }

    private static String row(StepResult r) {
        boolean lake = r.step().kind() == LadderStep.Kind.LAKE;
        return String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f | %.1f | %s | %s | %s | %s | %s |%n",
                r.step().label(),
                r.step().adds(),
                r.drain().recordsPerSecond(),
                r.drain().appCpuSecondsPerMillion(),
                lake ? DASH : String.format(Locale.ROOT, "%.1f", r.drain().brokerCpuSecondsPerMillion()),
                latency(r.latency()),
                heap(r.memory()),
                mib(r.memory().peakRssBytes()),
                r.diskBytes() < 0 ? DASH : mib(r.diskBytes()));
    }

    private static String latency(LatencyFigures latency) {
        if (latency == null) {
            return DASH;
        }
        if (latency.samples() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "%,.0f / %,.0f ms", latency.p50Millis(), latency.p99Millis());
    }

    private static String heap(StepMemory.Figures memory) {
        return String.format(
                Locale.ROOT,
                "%,d / %s MiB",
                memory.peakHeapBytes() >> 20,
                memory.liveHeapBytes() == 0 ? DASH : String.format(Locale.ROOT, "%,d", memory.liveHeapBytes() >> 20));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? DASH : String.format(Locale.ROOT, "%,.1f MiB", bytes / (double) (1L << 20));
    }
}
