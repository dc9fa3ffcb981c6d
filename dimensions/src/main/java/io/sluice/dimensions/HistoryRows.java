package io.sluice.dimensions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shapes versions into the rows Sluice publishes: the natural key columns, the masked attributes,
 * then the history columns under the configured naming.
 */
final class HistoryRows {
    private final DimensionSpec spec;

    HistoryRows(DimensionSpec spec) {
        this.spec = spec;
    }

    String scdId(Map<String, Object> naturalKey, DimensionVersion version) {
        return ScdId.of(spec.keyColumns(), naturalKey, version.sequence());
    }

    /** The history row of a version. */
    Map<String, Object> version(Map<String, Object> naturalKey, DimensionVersion version) {
        Map<String, Object> row = keyAndAttributes(naturalKey, version.attributes());
        ColumnNaming names = spec.naming();
        row.put(names.validFrom(), version.validFromMs());
        row.put(names.validTo(), version.validToMs());
        row.put(names.scdId(), scdId(naturalKey, version));
        row.put(names.updatedAt(), version.updatedAtMs());
        row.put(names.isDeleted(), version.deleted());
        row.put(names.version(), version.number());
        row.put(names.isCurrent(), version.isCurrent());
        row.put(names.changeOp(), version.op().code());
        row.put(names.sourceSeq(), version.sequence().text());
        return Collections.unmodifiableMap(row);
    }

    /**
     * The row for the {@code current} topic: the current version's row, but with the latest
     * change's values and provenance, since a change of untracked columns updates the current row
     * without opening a version.
     */
    Map<String, Object> current(Map<String, Object> naturalKey, DimensionVersion current, DimensionChange latest) {
        Map<String, Object> row = new LinkedHashMap<>(version(naturalKey, current));
        Map<String, Object> latestValues = keyAndAttributes(naturalKey, latest.row());
        ColumnNaming names = spec.naming();
        for (String column : names.all()) {
            latestValues.put(column, row.get(column));
        }
        latestValues.put(names.updatedAt(), latest.commitTimeMs());
        latestValues.put(names.changeOp(), latest.op().code());
        latestValues.put(names.sourceSeq(), latest.sequence().text());
        return Collections.unmodifiableMap(latestValues);
    }

    private Map<String, Object> keyAndAttributes(Map<String, Object> naturalKey, Map<String, Object> attributes) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : spec.keyColumns()) {
            row.put(column, naturalKey.get(column));
        }
        attributes.forEach((column, value) -> {
            if (!naturalKey.containsKey(column)) {
                row.put(column, value);
            }
        });
        return row;
    }
}
