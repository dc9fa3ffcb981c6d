package io.sluice.dimensions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Test data: a change to one row of a {@code users} table keyed by {@code id}, built fluently. */
final class UserChange {
    /** The day all test timelines happen on. */
    static final String DAY = "2024-05-01T";

    private final Object id;
    private final Map<String, Object> row = new LinkedHashMap<>();
    private ChangeOp op = ChangeOp.UPDATE;
    private DimensionSequence sequence;
    private long commitTimeMs;

    private UserChange(Object id) {
        this.id = id;
        row.put("id", id);
    }

    static UserChange user(Object id) {
        return new UserChange(id);
    }

    /** Milliseconds of a time of day on {@link #DAY}, e.g. {@code "10:00:00.250"}. */
    static long time(String timeOfDay) {
        return Instant.parse(DAY + timeOfDay + "Z").toEpochMilli();
    }

    UserChange inserted() {
        return op(ChangeOp.CREATE);
    }

    UserChange updated() {
        return op(ChangeOp.UPDATE);
    }

    UserChange deleted() {
        return op(ChangeOp.DELETE);
    }

    UserChange snapshotRead() {
        return op(ChangeOp.READ);
    }

    UserChange op(ChangeOp op) {
        this.op = op;
        return this;
    }

    /** A PostgreSQL position with this LSN as both the change's and (for simplicity) the preceding commit's. */
    UserChange lsn(long lsn) {
        this.sequence = DimensionSequence.postgres(lsn, lsn);
        return this;
    }

    UserChange at(String timeOfDay) {
        return atMs(time(timeOfDay));
    }

    UserChange atMs(long commitTimeMs) {
        this.commitTimeMs = commitTimeMs;
        return this;
    }

    UserChange city(String city) {
        return with("city", city);
    }

    UserChange tier(String tier) {
        return with("tier", tier);
    }

    /** An untracked column in the default test spec. */
    UserChange visits(long visits) {
        return with("visits", visits);
    }

    UserChange with(String column, Object value) {
        row.put(column, value);
        return this;
    }

    /** The delete's before image under REPLICA IDENTITY DEFAULT: only the key is truthful. */
    UserChange keyOnlyImage() {
        row.keySet().retainAll(Set.of("id"));
        row.put("city", "__debezium_unavailable_value");
        return this;
    }

    DimensionSequence sequence() {
        return sequence;
    }

    DimensionChange build() {
        if (sequence == null) {
            throw new IllegalStateException("test change needs an lsn");
        }
        return new DimensionChange(op, sequence, commitTimeMs, row, Map.of("id", id));
    }
}
