package io.sluice.sinks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The lake's meters: tier-0 objects written, compaction passes. Tags carry table names, never a value from a record. */
public final class LakeMetrics {
    private final MeterRegistry registry;

    /** Meters registered in the given registry. */
    public LakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Tier-0 objects written to the lake. */
    public Counter objects(String table) {
        return Counter.builder("sluice.lake.objects")
                .description("Tier-0 objects written to the lake")
                .tags("table", table)
                .register(registry);
    }

    /** Rows written to tier-0 objects. */
    public Counter rows(String table) {
        return Counter.builder("sluice.lake.rows")
                .description("Rows written to tier-0 objects")
                .tags("table", table)
                .register(registry);
    }

    /** Bytes written to tier-0 objects. */
    public Counter bytes(String table) {
        return Counter.builder("sluice.lake.bytes")
                .description("Bytes written to tier-0 objects")
                .baseUnit("bytes")
                .tags("table", table)
                .register(registry);
    }

    /** Records what one compaction pass did. */
    public void compaction(CompactionReport report, boolean failed) {
        String outcome = failed || (report != null && !report.failedHours().isEmpty())
                ? "failure"
                : report != null && report.skippedForLease() ? "lease-held" : "success";
        Counter.builder("sluice.compaction.runs")
                .description("Compaction passes (outcome: success, failure, lease-held)")
                .tags("outcome", outcome)
                .register(registry)
                .increment();
        if (report == null) {
            return;
        }
        Timer.builder("sluice.compaction.lease.wait")
                .description("Time compaction passes waited for the lake's compaction lease")
                .register(registry)
                .record(report.leaseWait());
        if (report.skippedForLease()) {
            Counter.builder("sluice.compaction.lease.held")
                    .description("Compaction passes that did nothing because another pass held the lake's lease")
                    .register(registry)
                    .increment();
            return;
        }
        Timer.builder("sluice.compaction.duration")
                .description("Duration of compaction passes")
                .register(registry)
                .record(report.took());
        for (CompactionReport.FailedHour hour : report.failedHours()) {
            Counter.builder("sluice.compaction.failed.hours")
                    .description("Table-hours whose compaction failed (retried by the next pass)")
                    .tags("table", hour.table())
                    .register(registry)
                    .increment();
        }
        for (CompactionReport.HourResult hour : report.hours()) {
            Counter.builder("sluice.compaction.hours")
                    .description("Table-hours compacted")
                    .tags("table", hour.table())
                    .register(registry)
                    .increment();
            Counter.builder("sluice.compaction.files")
                    .description("Parquet files written by compaction")
                    .tags("table", hour.table())
                    .register(registry)
                    .increment(hour.filesWritten());
            if (hour.newRows() < hour.rows() && hour.newRows() > 0) {
                Counter.builder("sluice.compaction.late.merges")
                        .description("Passes that added late rows to an already compacted hour (as one new file)")
                        .tags("table", hour.table())
                        .register(registry)
                        .increment();
            }
        }
    }
}
