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
 */
public record CompactionSettings(Duration grace, long targetFileSize, long rowGroupSize, CompressionCodecName codec) {
    /** 10 minutes of grace, 256 MiB files, 128 MiB row groups, Snappy. */
    public static final CompactionSettings DEFAULT =
            new CompactionSettings(Duration.ofMinutes(10), 256L << 20, 128L << 20, CompressionCodecName.SNAPPY);

    public CompactionSettings {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        if (targetFileSize < 1 || rowGroupSize < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }
}
