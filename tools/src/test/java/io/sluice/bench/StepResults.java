package io.sluice.bench;

/** Builds step results for report and target tests: figures as a reader states them (records/s, CPU-s per million). */
final class StepResults {
    private static final long RECORDS = 100_000;

    private final LadderStep step;
    private double recordsPerSecond = 10_000;
    private double appCpuPerMillion = 100;
    private double brokerCpuPerMillion = 20;
    private LatencyFigures latency;
    private long peakHeapMiB = 300;
    private long liveHeapMiB = 120;
    private long rssMiB = 700;
    private long diskBytes = -1;
    private long dedupKeys = -1;
    private String note = "";

    private StepResults(LadderStep step) {
        this.step = step;
    }

    static StepResults step(LadderStep step) {
        return new StepResults(step);
    }

    StepResults recordsPerSecond(double rate) {
        this.recordsPerSecond = rate;
        return this;
    }

    StepResults cpuPerMillion(double app, double broker) {
        this.appCpuPerMillion = app;
        this.brokerCpuPerMillion = broker;
        return this;
    }

    StepResults latency(double p50, double p99, double rate) {
        this.latency = new LatencyFigures(p50, p99, p99 * 1.5, 50_000, rate, 60_000);
        return this;
    }

    StepResults heapMiB(long peak, long afterGc) {
        this.peakHeapMiB = peak;
        this.liveHeapMiB = afterGc;
        return this;
    }

    StepResults dedupKeys(long keys) {
        this.dedupKeys = keys;
        return this;
    }

    StepResults disk(long bytes) {
        this.diskBytes = bytes;
        return this;
    }

    StepResults note(String text) {
        this.note = text;
        return this;
    }

    StepResult build() {
        long nanos = (long) (RECORDS / recordsPerSecond * 1e9);
        DrainWindow window = new DrainWindow(RECORDS, nanos, (long) (appCpuPerMillion * 1e9 * RECORDS / 1e6), (long)
                (brokerCpuPerMillion * 1e9 * RECORDS / 1e6));
        return new StepResult(
                step,
                window,
                latency,
                new StepMemory.Figures(peakHeapMiB << 20, liveHeapMiB << 20, rssMiB << 20),
                diskBytes,
                dedupKeys,
                note);
    }
}
