package io.sluice.pii;

import java.util.Objects;

/**
 * One declarative rule: which columns (by source, table and column name, with wildcards) get
 * which action.
 *
 * @param source the source name pattern
 * @param table  the table name pattern (for MMP sources, the configured table name)
 * @param column the column name pattern
 * @param action what happens to the selected column
 */
public record MaskingRule(NamePattern source, NamePattern table, NamePattern column, MaskingAction action) {

    public MaskingRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(action, "action");
    }

    /** A rule from configuration spellings; null selectors mean "any". */
    public static MaskingRule of(String source, String table, String column, MaskingAction action) {
        return new MaskingRule(NamePattern.of(source), NamePattern.of(table), NamePattern.of(column), action);
    }

    boolean selects(ColumnRef ref) {
        return column.matches(ref.column()) && table.matches(ref.table()) && source.matches(ref.source());
    }

    /** Column specificity dominates, then table, then source: a precise column rule beats a table-wide one. */
    int specificity() {
        return column.specificity() * 9 + table.specificity() * 3 + source.specificity();
    }

    /** Whether both rules select exactly the same columns. */
    boolean sameSelector(MaskingRule other) {
        return source.equals(other.source) && table.equals(other.table) && column.equals(other.column);
    }

    @Override
    public String toString() {
        return "{source: " + source + ", table: " + table + ", column: " + column + ", action: " + action.configName() + "}";
    }
}
