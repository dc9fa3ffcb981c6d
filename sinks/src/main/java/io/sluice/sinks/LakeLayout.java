package io.sluice.sinks;

import org.apache.hadoop.fs.Path;

/**
 * Where things live in the lake: tier-0 objects under {@code raw/}, compacted Parquet under
 * {@code curated/}, and work in progress under {@code _staging/}, which query engines never read
 * because it is outside both trees.
 */
public final class LakeLayout {
    static final String RAW = "raw";
    static final String CURATED = "curated";
    static final String STAGING = "_staging";
    static final String LEASE = "_lease";

    private final Path root;

    /** A layout rooted at the lake URI. */
    public LakeLayout(Path root) {
        this.root = root;
    }

    /** The lake root. */
    public Path root() {
        return root;
    }

    /** The tier-0 tree of all tables. */
    public Path rawRoot() {
        return new Path(root, RAW);
    }

    /** The tier-1 tree of all tables. */
    public Path curatedRoot() {
        return new Path(root, CURATED);
    }

    /** The table of an hour directory ({@code <tree>/<table>/year=/month=/day=/hour=}), in any of the trees. */
    public static String tableOfHour(Path hourDir) {
        return hourDir.getParent().getParent().getParent().getParent().getName();
    }

    /** Tier-0 objects of one table-hour. */
    public Path rawHour(String table, EventHour hour) {
        return new Path(new Path(rawRoot(), table), hour.partitionPath());
    }

    /** Compacted Parquet files of one table-hour. */
    public Path curatedHour(String table, EventHour hour) {
        return new Path(new Path(curatedRoot(), table), hour.partitionPath());
    }

    /** The claims of compaction passes on the lake's one-compactor lease ({@link CompactionLease}). */
    public Path compactionLease() {
        return new Path(new Path(root, LEASE), "compaction");
    }

    /** Scratch space of compaction passes over one table-hour. */
    public Path stagingHour(String table, EventHour hour) {
        return new Path(new Path(new Path(root, STAGING), table), hour.partitionPath());
    }
}
