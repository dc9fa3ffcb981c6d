package io.sluice.sinks;

import java.time.Duration;
import java.util.List;

/**
 * What one compaction pass did.
 *
 * @param hours     the table-hours compacted
 * @param openHours table-hours with pending objects that are not closed yet
 * @param took      how long the pass took
 */
public record CompactionReport(List<HourResult> hours, int openHours, Duration took) {

    /**
     * One compacted table-hour.
     *
     * @param table        lake table
     * @param hour         event hour
     * @param files        Parquet files the hour now has
     * @param rows         rows the hour now has
     * @param newRows      rows this pass added
     * @param filesWritten Parquet files this pass wrote: all of a new hour's, at most one for late rows
     */
    public record HourResult(String table, EventHour hour, int files, long rows, long newRows, int filesWritten) {
    }
}
