package io.sluice.dimensions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one table's SCD Type 2 history is kept: its natural key, which columns open a new version
 * when they change, what deletes do, how long per-key history stays in state, and the names of
 * the added columns. Immutable; validated on construction.
 */
public final class DimensionSpec {
    /** The state retention used when none is given. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final String table;
    private final List<String> keyColumns;
    private final List<String> track;
    private final List<String> trackExcept;
    private final DeletesMode deletes;
    private final Duration retention;
    private final ColumnNaming naming;

    /**
     * A validated specification.
     *
     * @param table       the table name, for messages
     * @param keyColumns  the natural key columns, at least one
     * @param track       the tracked columns, or empty/null to track all (but {@code trackExcept})
     * @param trackExcept columns that never open a version, or empty/null; not together with {@code track}
     * @param deletes     the deletes mode, or null for {@link DeletesMode#INVALIDATE}
     * @param retention   how long closed versions stay in state, or null for {@link #DEFAULT_RETENTION}
     * @param naming      the added columns' names, or null for {@link ColumnNaming#SLUICE}
     * @throws IllegalArgumentException naming the setting and the problem
     */
    public DimensionSpec(
            String table,
            List<String> keyColumns,
            List<String> track,
            List<String> trackExcept,
            DeletesMode deletes,
            Duration retention,
            ColumnNaming naming) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("dimension table name must not be empty");
        }
        this.table = table;
        this.keyColumns = columnList("key", keyColumns);
        this.track = columnList("track", track);
        this.trackExcept = columnList("trackExcept", trackExcept);
        this.deletes = deletes == null ? DeletesMode.INVALIDATE : deletes;
        this.retention = retention == null ? DEFAULT_RETENTION : retention;
        this.naming = naming == null ? ColumnNaming.SLUICE : naming;
        if (this.keyColumns.isEmpty()) {
            throw new IllegalArgumentException(where("key") + "needs at least one natural key column");
        }
        if (!this.track.isEmpty() && !this.trackExcept.isEmpty()) {
            throw new IllegalArgumentException(where("track") + "give either track or trackExcept, not both");
        }
        if (this.retention.isNegative() || this.retention.isZero()) {
            throw new IllegalArgumentException(where("retention") + "must be positive, was " + this.retention);
        }
        rejectAddedColumnNames("key", this.keyColumns);
        rejectAddedColumnNames("track", this.track);
    }

    /** A builder with the defaults: track all columns, invalidate deletes, default retention, Sluice naming. */
    public static Builder builder(String table, String... keyColumns) {
        return new Builder(table, List.of(keyColumns));
    }

    public String table() {
        return table;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** The tracked columns, empty when all columns (but {@link #trackExcept()}) are tracked. */
    public List<String> track() {
        return track;
    }

    public List<String> trackExcept() {
        return trackExcept;
    }

    public DeletesMode deletes() {
        return deletes;
    }

    public Duration retention() {
        return retention;
    }

    public ColumnNaming naming() {
        return naming;
    }

    private List<String> columnList(String setting, List<String> columns) {
        if (columns == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException(where(setting) + "column names must not be empty");
            }
            if (!seen.add(column)) {
                throw new IllegalArgumentException(where(setting) + "column '" + column + "' is listed twice");
            }
        }
        return List.copyOf(columns);
    }

    private void rejectAddedColumnNames(String setting, List<String> columns) {
        for (String column : columns) {
            if (naming.all().contains(column)) {
                throw new IllegalArgumentException(where(setting) + "column '" + column
                        + "' collides with a history column of " + naming.configName() + " naming; choose naming "
                        + (naming == ColumnNaming.SLUICE ? "dbt" : "sluice"));
            }
        }
    }

    private String where(String setting) {
        return "dimension '" + table + "' " + setting + ": ";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DimensionSpec s
                && table.equals(s.table)
                && keyColumns.equals(s.keyColumns)
                && track.equals(s.track)
                && trackExcept.equals(s.trackExcept)
                && deletes == s.deletes
                && retention.equals(s.retention)
                && naming == s.naming;
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, keyColumns, track, trackExcept, deletes, retention, naming);
    }

    @Override
    public String toString() {
        return "DimensionSpec{table=" + table + ", key=" + keyColumns + ", track=" + track + ", trackExcept="
                + trackExcept + ", deletes=" + deletes.configName() + ", retention=" + retention + ", naming="
                + naming.configName() + "}";
    }

    /** Builds a {@link DimensionSpec} step by step; validation happens in {@link #build()}. */
    public static final class Builder {
        private final String table;
        private final List<String> keyColumns;
        private List<String> track = new ArrayList<>();
        private List<String> trackExcept = new ArrayList<>();
        private DeletesMode deletes;
        private Duration retention;
        private ColumnNaming naming;

        private Builder(String table, List<String> keyColumns) {
            this.table = table;
            this.keyColumns = keyColumns;
        }

        public Builder track(String... columns) {
            this.track = Arrays.asList(columns);
            return this;
        }

        public Builder trackExcept(String... columns) {
            this.trackExcept = Arrays.asList(columns);
            return this;
        }

        public Builder deletes(DeletesMode mode) {
            this.deletes = mode;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder naming(ColumnNaming naming) {
            this.naming = naming;
            return this;
        }

        public DimensionSpec build() {
            return new DimensionSpec(table, keyColumns, track, trackExcept, deletes, retention, naming);
        }
    }
}
