package io.sluice.sinks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What one compaction pass did.
 *
 * @param hours       the table-hours compacted
 * @param openHours   table-hours with pending objects that are not closed yet
 * @param took        how long the pass took
 * @param failedHours table-hours whose compaction failed: their tier-0 objects stay, and the next pass retries them
 * @param leaseHolder the pass that held the lake's compaction lease, when this one therefore did nothing; null otherwise
 * @param leaseWait   how long this pass waited for the lease
 */
public record CompactionReport(
        List<HourResult> hours,
        int openHours,
        Duration took,
        List<FailedHour> failedHours,
        String leaseHolder,
        Duration leaseWait) {

    /** A pass that held the lease and had no failed hour. */
    public CompactionReport(List<HourResult> hours, int openHours, Duration took) {
        this(hours, openHours, took, List.of(), null, Duration.ZERO);
    }

    /** A pass that did nothing because {@code holder} held the lease. */
    static CompactionReport leaseHeld(String holder, Duration waited, Duration took) {
        return new CompactionReport(List.of(), 0, took, List.of(), holder, waited);
    }

    /** Whether another pass held the lease, so that this one compacted nothing. */
    public boolean skippedForLease() {
        return leaseHolder != null;
    }

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
    public record HourResult(String table, EventHour hour, int files, long rows, long newRows, int filesWritten) {}

    /**
     * A table-hour whose compaction threw; the pass went on with the others.
     *
     * @param table lake table
     * @param hour  event hour
     * @param cause what failed
     */
    public record FailedHour(String table, EventHour hour, RuntimeException cause) {
        /**
         * The failure for logs and the console: exception types, and messages only of I/O failures (they
         * name paths); other messages (Avro, Parquet) may quote a value, so they are left out.
         */
        public String reason() {
            StringBuilder reason = new StringBuilder();
            for (Throwable t = cause;
                    t != null && reason.length() < 1000;
                    t = t.getCause() == t ? null : t.getCause()) {
                if (!reason.isEmpty()) {
                    reason.append(" <- ");
                }
                reason.append(t.getClass().getName());
                if (t instanceof IOException || t == cause) {
                    reason.append(": ").append(t.getMessage());
                }
            }
            return reason.toString();
        }
    }
}
