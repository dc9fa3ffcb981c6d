package io.sluice.sinks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** What the Iceberg compactor did, per table: commits, keys deleted by row-level deletes, snapshots expired, orphans removed. */
public final class IcebergMetrics {
    /** Counts nowhere (sluice compact, which exits after its pass, and tests). */
    public static final IcebergMetrics NONE = new IcebergMetrics(new SimpleMeterRegistry());

    private final MeterRegistry registry;

    /** Metrics in {@code registry}. */
    public IcebergMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void committed(String table) {
        counter("sluice.lake.iceberg.commits", "Iceberg commits of compaction passes", table)
                .increment();
    }

    void keysDeleted(String table, int keys) {
        counter("sluice.lake.iceberg.deleted.keys", "Keys removed from current-state tables by equality deletes", table)
                .increment(keys);
    }

    void maintained(String table, IcebergMaintenance.Result result) {
        counter("sluice.lake.iceberg.snapshots.expired", "Iceberg snapshots expired by maintenance", table)
                .increment(result.snapshotsExpired());
        counter("sluice.lake.iceberg.orphans.removed", "Unreferenced Iceberg data files removed", table)
                .increment(result.orphansRemoved());
    }

    private Counter counter(String name, String description, String table) {
        return Counter.builder(name)
                .description(description)
                .tag("table", table)
                .register(registry);
    }
}
