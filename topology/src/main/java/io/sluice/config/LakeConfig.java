package io.sluice.config;

import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.Tier0Buffer;

/**
 * The {@code lake:} section.
 *
 * @param uri        the lake root: {@code file:///path}, a plain path, {@code s3a://bucket/prefix}, {@code hdfs://...}
 * @param flush      when tier-0 objects are written
 * @param compaction how tier-1 Parquet is written
 * @param compactEvery if set, {@code sluice run} itself runs a compaction pass this often (instead of a CronJob)
 */
public record LakeConfig(String uri, Tier0Buffer.FlushPolicy flush, CompactionSettings compaction,
                         java.util.Optional<java.time.Duration> compactEvery) {

    /** The same lake settings at another location. */
    public LakeConfig at(String otherUri) {
        return new LakeConfig(otherUri, flush, compaction, compactEvery);
    }

    /** The same lake settings with another flush policy. */
    public LakeConfig withFlush(Tier0Buffer.FlushPolicy otherFlush) {
        return new LakeConfig(uri, otherFlush, compaction, compactEvery);
    }
}
