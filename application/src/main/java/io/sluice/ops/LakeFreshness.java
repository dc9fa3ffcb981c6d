package io.sluice.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.sinks.EventHour;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.LakeLayout;
import io.sluice.sinks.NewestHour;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest compacted hour of every lake table (hour directories of the Hive layout; for Iceberg tables, the hour
 * the compactor records per table, {@link NewestHour}), as a gauge {@code sluice_lake_newest_compacted_hour_seconds{table}}
 * (the end of that hour, epoch seconds): {@code time() - gauge} is how stale the lake is. Computed by
 * the long-running process from the lake itself, because the compactor runs as a short-lived job
 * that Prometheus cannot scrape.
 */
public final class LakeFreshness {
    private static final Logger LOG = LoggerFactory.getLogger(LakeFreshness.class);

    private final LakeFileSystem lake;
    private final MeterRegistry registry;
    private final Map<String, Double> newestHourEnd = new ConcurrentHashMap<>();

    /** Freshness of a lake, published into a registry. */
    public LakeFreshness(LakeFileSystem lake, MeterRegistry registry) {
        this.lake = lake;
        this.registry = registry;
    }

    /** Rescans the lake's compacted hours; cheap enough to run every minute. */
    public void refresh() {
        try {
            FileStatus[] hours =
                    lake.fs().globStatus(new Path(lake.layout().curatedRoot(), "*/year=*/month=*/day=*/hour=*"));
            Map<String, EventHour> newest = new java.util.TreeMap<>(NewestHour.read(lake.fs(), lake.layout()));
            for (FileStatus hour : hours == null ? new FileStatus[0] : hours) {
                String table = LakeLayout.tableOfHour(hour.getPath());
                newest.merge(table, EventHour.parse(hour.getPath().toString()), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            for (Map.Entry<String, EventHour> hour : newest.entrySet()) {
                String table = hour.getKey();
                double end = hour.getValue().endMs() / 1000.0;
                Double before = newestHourEnd.get(table);
                if (before == null) {
                    newestHourEnd.put(table, end);
                    Gauge.builder(
                                    "sluice.lake.newest.compacted.hour",
                                    newestHourEnd,
                                    m -> m.getOrDefault(table, Double.NaN))
                            .description("End of the newest compacted hour of a lake table, epoch seconds")
                            .baseUnit("seconds")
                            .tag("table", table)
                            .register(registry);
                } else if (end > before) {
                    newestHourEnd.put(table, end);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot scan the lake for freshness: {}", e.toString());
        }
    }
}
