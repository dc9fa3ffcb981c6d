package io.sluice.config;

import io.sluice.dimensions.DimensionSpec;

/**
 * One {@code dimensions:} entry: SCD Type 2 history of a Debezium source's table.
 *
 * @param source the Debezium source whose curated rows feed the history
 * @param spec   the table, natural key, tracked columns, delete handling, retention and naming
 */
public record DimensionConfig(String source, DimensionSpec spec) {

    /** The table's name, as in {@code dim.<table>.history}. */
    public String table() {
        return spec.table();
    }
}
