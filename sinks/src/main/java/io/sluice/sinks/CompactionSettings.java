package io.sluice.sinks;

import java.time.Duration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How the compactor writes tier 1.
 *
 * @param grace          how long after an hour ends its late events are still awaited before compaction
 * @param targetFileSize a Parquet file is closed once it reaches this many bytes (one file per hour below it)
 * @param rowGroupSize   Parquet row group size in bytes
 * @param codec          compression codec
 * @param leaseTtl       how long the one-compactor lease outlives its holder's last renewal ({@link CompactionLease})
 * @param leaseWait      how long a pass waits for the lease held by another pass before it ends without compacting
 */
public record CompactionSettings(
        Duration grace,
        long targetFileSize,
        long rowGroupSize,
        CompressionCodecName codec,
        Duration leaseTtl,
        Duration leaseWait) {
    /** The lease outlives a dead holder by two minutes: long enough for clock skew and a slow write, short for a restart. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(2);

    /** 10 minutes of grace, 256 MiB files, 128 MiB row groups, Snappy; a 2-minute lease, not waited for. */
    public static final CompactionSettings DEFAULT =
            new CompactionSettings(Duration.ofMinutes(10), 256L << 20, 128L << 20, CompressionCodecName.SNAPPY);

    public CompactionSettings {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        if (targetFileSize < 1 || rowGroupSize < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (leaseTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("leaseTtl must be at least a second");
        }
        if (leaseWait.isNegative()) {
            throw new IllegalArgumentException("leaseWait must not be negative");
        }
    }

    /** Settings with the default lease: a 2-minute ttl, and a pass that finds the lease held ends at once. */
    public CompactionSettings(Duration grace, long targetFileSize, long rowGroupSize, CompressionCodecName codec) {
        this(grace, targetFileSize, rowGroupSize, codec, DEFAULT_LEASE_TTL, Duration.ZERO);
    }

    /** These settings, waiting up to {@code wait} for the lease. */
    public CompactionSettings waitingForLease(Duration wait) {
        return new CompactionSettings(grace, targetFileSize, rowGroupSize, codec, leaseTtl, wait);
    }
}
