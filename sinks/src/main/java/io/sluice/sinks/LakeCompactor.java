package io.sluice.sinks;

import java.util.function.Predicate;

/** Rolls closed table-hours of tier 0 into tables: the Hive layout ({@link HourlyCompactor}) or Apache Iceberg ({@link IcebergCompactor}). */
public interface LakeCompactor {
    /**
     * One pass over every table-hour with tier-0 objects that {@code isClosed} accepts, holding the lake's compaction
     * lease; a failed hour is reported and keeps its objects for the next pass.
     */
    CompactionReport compact(Predicate<EventHour> isClosed);
}
