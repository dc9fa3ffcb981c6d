package io.sluice.config;

import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.HourlyCompactor;
import io.sluice.sinks.IcebergCatalogSettings;
import io.sluice.sinks.IcebergCompactor;
import io.sluice.sinks.IcebergMetrics;
import io.sluice.sinks.LakeCompactor;
import io.sluice.sinks.LakeErasure;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.Tier0Buffer;
import io.sluice.sinks.Tier0Format;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code lake:} section.
 *
 * @param uri           the lake root: {@code file:///path}, a plain path, {@code s3a://bucket/prefix}, {@code hdfs://...}
 * @param flush         when tier-0 objects are written
 * @param tier0Format   how tier-0 objects are written
 * @param compaction    how tier-1 Parquet is written
 * @param compactEvery  if set, {@code sluice run} itself runs a compaction pass this often (instead of a CronJob)
 * @param hadoop        Hadoop settings passed to the lake's file system as they are ({@code fs.s3a.endpoint}, ...)
 * @param hadoopSecrets Hadoop settings read from the environment or a file ({@code fs.s3a.secret.key}, ...)
 * @param iceberg       with {@code format: iceberg}, the catalog tier 1 is kept in; empty for the Hive layout
 */
public record LakeConfig(
        String uri,
        Tier0Buffer.FlushPolicy flush,
        Tier0Format tier0Format,
        CompactionSettings compaction,
        Optional<Duration> compactEvery,
        Map<String, String> hadoop,
        Map<String, SecretRef> hadoopSecrets,
        Optional<IcebergConfig> iceberg) {

    public LakeConfig {
        // in the order written, so that the first unreadable secret reported is the first in the file
        hadoop = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hadoop));
        hadoopSecrets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hadoopSecrets));
    }

    /** The same lake settings at another location. */
    public LakeConfig at(String otherUri) {
        return new LakeConfig(otherUri, flush, tier0Format, compaction, compactEvery, hadoop, hadoopSecrets, iceberg);
    }

    /** The same lake settings with another flush policy. */
    public LakeConfig withFlush(Tier0Buffer.FlushPolicy otherFlush) {
        return new LakeConfig(uri, otherFlush, tier0Format, compaction, compactEvery, hadoop, hadoopSecrets, iceberg);
    }

    /** The Hadoop settings with their secrets read; a secret that cannot be read is a configuration error naming its key. */
    public Map<String, String> hadoopSettings(Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>(hadoop);
        hadoopSecrets.forEach((key, secret) -> settings.put(key, secret.resolve(environment)));
        return settings;
    }

    /** {@code hive} or {@code iceberg}: what tier 1 is. */
    public String format() {
        return iceberg.isPresent() ? "iceberg" : "hive";
    }

    /** The compactor of tier 1 in this lake's format, with these compaction settings. */
    public LakeCompactor compactor(LakeFileSystem lake, CompactionSettings settings) {
        return compactor(lake, settings, IcebergMetrics.NONE);
    }

    /** The compactor of tier 1 in this lake's format, counting Iceberg's commits and maintenance into {@code metrics}. */
    public LakeCompactor compactor(LakeFileSystem lake, CompactionSettings settings, IcebergMetrics metrics) {
        if (iceberg.isEmpty()) {
            return new HourlyCompactor(lake, settings);
        }
        IcebergCatalogSettings catalog = iceberg.get().settings(System.getenv());
        return new IcebergCompactor(
                        lake,
                        settings,
                        catalog.open(lake.root().toString(), lake.conf()),
                        catalog.namespace(),
                        iceberg.get().maintenance())
                .countingInto(metrics);
    }

    /** An erasure over this lake's tables, in its format. */
    public LakeErasure erasure(LakeFileSystem lake) {
        if (iceberg.isEmpty()) {
            return new LakeErasure(lake, compaction, null, null);
        }
        IcebergCatalogSettings catalog = iceberg.get().settings(System.getenv());
        return new LakeErasure(
                lake, compaction, catalog.open(lake.root().toString(), lake.conf()), catalog.namespace());
    }

    /** The compactor of tier 1 in this lake's format. */
    public LakeCompactor compactor(LakeFileSystem lake) {
        return compactor(lake, compaction);
    }

    /** Opens the lake's file system with these settings. */
    public LakeFileSystem open() {
        return LakeFileSystem.open(uri, hadoopSettings(System.getenv()));
    }
}
