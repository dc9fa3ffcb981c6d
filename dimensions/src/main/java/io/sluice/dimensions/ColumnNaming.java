package io.sluice.dimensions;

import java.util.List;

/**
 * The names of the columns Sluice adds to every history row: its own, or dbt snapshot names so that
 * models written against dbt snapshots read Sluice history unchanged.
 */
public enum ColumnNaming {
    /** {@code valid_from}, {@code valid_to}, {@code scd_id}, {@code scd_updated_at}, {@code is_deleted}. */
    SLUICE("sluice", ""),
    /** {@code dbt_valid_from}, {@code dbt_valid_to}, {@code dbt_scd_id}, {@code dbt_updated_at}, {@code dbt_is_deleted}. */
    DBT("dbt", "dbt_");

    private final String configName;
    private final String prefix;

    ColumnNaming(String configName, String prefix) {
        this.configName = configName;
        this.prefix = prefix;
    }

    /** The name used in configuration. */
    public String configName() {
        return configName;
    }

    /** The naming for its configuration name. */
    public static ColumnNaming ofConfigName(String name) {
        for (ColumnNaming naming : values()) {
            if (naming.configName.equals(name)) {
                return naming;
            }
        }
        throw new IllegalArgumentException("unknown column naming '" + name + "'; expected sluice or dbt");
    }

    public String validFrom() {
        return prefix + "valid_from";
    }

    public String validTo() {
        return prefix + "valid_to";
    }

    public String scdId() {
        return prefix + "scd_id";
    }

    public String updatedAt() {
        // Not plain updated_at: most tables have a column of that name already.
        return this == DBT ? "dbt_updated_at" : "scd_updated_at";
    }

    public String isDeleted() {
        return prefix + "is_deleted";
    }

    // The next four have no dbt counterpart, so both namings share them.

    public String version() {
        return "version";
    }

    public String isCurrent() {
        return "is_current";
    }

    public String changeOp() {
        return "change_op";
    }

    public String sourceSeq() {
        return "source_seq";
    }

    /** Every column this naming adds, which source columns must not be called. */
    public List<String> all() {
        return List.of(
                validFrom(),
                validTo(),
                scdId(),
                updatedAt(),
                isDeleted(),
                version(),
                isCurrent(),
                changeOp(),
                sourceSeq());
    }
}
