package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an Iceberg table from growing without bound after each compaction pass: snapshots older than the retention
 * expire (at least a few stay for time travel), and with them the files only they referenced; data files no snapshot
 * references (a pass that crashed before its commit) are removed once older than the orphan age, which stays well
 * above any pass's length, since a file an unfinished commit will reference looks the same.
 *
 * @param snapshotRetention how long a replaced snapshot stays readable
 * @param keepSnapshots     how many of the latest snapshots stay whatever their age
 * @param orphanAge         how old an unreferenced data file must be before it is removed
 */
public record IcebergMaintenance(Duration snapshotRetention, int keepSnapshots, Duration orphanAge) {
    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenance.class);

    /** Snapshots kept a day (and the last 5), orphans removed after a day. */
    public static final IcebergMaintenance DEFAULT = new IcebergMaintenance(Duration.ofDays(1), 5, Duration.ofDays(1));

    /**
     * What one maintenance run removed.
     *
     * @param snapshotsExpired snapshots expired
     * @param orphansRemoved   unreferenced data files removed
     */
    public record Result(int snapshotsExpired, int orphansRemoved) {}

    /** Expires old snapshots and removes orphan data files of {@code table}, whose files {@code fs} reaches. */
    public Result maintain(Table table, FileSystem fs, long nowMs) {
        int before = size(table.snapshots());
        table.expireSnapshots()
                .expireOlderThan(nowMs - snapshotRetention.toMillis())
                .retainLast(keepSnapshots)
                .cleanExpiredFiles(true)
                .commit();
        table.refresh();
        int expired = before - size(table.snapshots());
        int orphans = removeOrphans(table, fs, nowMs);
        if (expired > 0 || orphans > 0) {
            LOG.info(
                    "Iceberg table {}: {} snapshot(s) expired, {} orphan data file(s) removed",
                    table.name(),
                    expired,
                    orphans);
        }
        return new Result(expired, orphans);
    }

    private int removeOrphans(Table table, FileSystem fs, long nowMs) {
        Set<String> referenced = referencedFiles(table);
        Path data = new Path(table.location(), "data");
        int removed = 0;
        try {
            if (!fs.exists(data)) {
                return 0;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(data, true);
            while (files.hasNext()) {
                FileStatus file = files.next();
                String location = file.getPath().toString();
                if (file.getModificationTime() < nowMs - orphanAge.toMillis()
                        && !referenced.contains(location)
                        && !referenced.contains(Path.getPathWithoutSchemeAndAuthority(file.getPath())
                                .toString())) {
                    fs.delete(file.getPath(), false);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the data files of Iceberg table " + table.name(), e);
        }
        return removed;
    }

    /** Every data and delete file any snapshot references, as written and without scheme (a local table lists either). */
    private static Set<String> referencedFiles(Table table) {
        Set<String> files = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                try (CloseableIterable<String> paths = manifest.content() == ManifestContent.DATA
                        ? ManifestFiles.readPaths(manifest, table.io(), table.specs())
                        : CloseableIterable.transform(
                                ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs()),
                                f -> f.location())) {
                    for (String path : paths) {
                        files.add(path);
                        files.add(Path.getPathWithoutSchemeAndAuthority(new Path(path))
                                .toString());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
                }
            }
        }
        return files;
    }

    private static int size(Iterable<Snapshot> snapshots) {
        int n = 0;
        for (Snapshot ignored : snapshots) {
            n++;
        }
        return n;
    }
}
