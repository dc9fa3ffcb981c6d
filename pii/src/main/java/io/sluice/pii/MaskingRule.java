package io.sluice.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One declarative rule: which fields (by source, table, and column or a path into a JSON column,
 * each with {@code *} wildcards) get which action.
 *
 * @param source    the source name pattern
 * @param table     the table name pattern (for MMP sources, the configured table name)
 * @param path      the column pattern, then one pattern per level inside a JSON column ({@code event_value.email})
 * @param action    what happens to the selected field
 * @param transform the transform of {@code mask}, {@code generalize} and {@code truncate}; null otherwise
 */
public record MaskingRule(
        NamePattern source,
        NamePattern table,
        List<NamePattern> path,
        MaskingAction action,
        ColumnTransform transform) {

    public MaskingRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a rule needs a column");
        }
        Objects.requireNonNull(action, "action");
        boolean needsTransform =
                action == MaskingAction.MASK || action == MaskingAction.GENERALIZE || action == MaskingAction.TRUNCATE;
        if (needsTransform != (transform != null)) {
            throw new IllegalArgumentException(
                    needsTransform
                            ? "action " + action.configName() + " needs its parameters"
                            : "action " + action.configName() + " takes no parameters");
        }
    }

    /** A rule from configuration spellings; null selectors mean "any"; dots in the column separate JSON levels. */
    public static MaskingRule of(
            String source, String table, String column, MaskingAction action, ColumnTransform transform) {
        return new MaskingRule(NamePattern.of(source), NamePattern.of(table), parsePath(column), action, transform);
    }

    /** A keep, drop, redact or hash rule. */
    public static MaskingRule of(String source, String table, String column, MaskingAction action) {
        return of(source, table, column, action, null);
    }

    private static List<NamePattern> parsePath(String column) {
        Objects.requireNonNull(column, "column");
        List<NamePattern> segments = new ArrayList<>();
        for (String segment : column.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("column '" + column + "' has an empty path segment");
            }
            segments.add(NamePattern.of(segment));
        }
        return segments;
    }

    /** Whether this rule selects exactly this field. */
    boolean selects(String sourceName, String tableName, List<String> fieldPath) {
        return fieldPath.size() == path.size() && matchesPrefix(sourceName, tableName, fieldPath);
    }

    /** Whether this rule reaches below this field, making it a JSON object to descend into. */
    boolean reachesBelow(String sourceName, String tableName, List<String> fieldPath) {
        return path.size() > fieldPath.size() && matchesPrefix(sourceName, tableName, fieldPath);
    }

    private boolean matchesPrefix(String sourceName, String tableName, List<String> fieldPath) {
        for (int i = 0; i < fieldPath.size(); i++) {
            if (!path.get(i).matches(fieldPath.get(i))) {
                return false;
            }
        }
        return table.matches(tableName) && source.matches(sourceName);
    }

    /** Field specificity dominates (deeper levels weigh more), then table, then source. */
    int specificity() {
        int field = 0;
        int weight = 1;
        for (NamePattern segment : path) {
            field += segment.specificity() * weight;
            weight *= 3;
        }
        return field * 9 + table.specificity() * 3 + source.specificity();
    }

    /** Whether both rules select exactly the same fields. */
    boolean sameSelector(MaskingRule other) {
        return source.equals(other.source) && table.equals(other.table) && path.equals(other.path);
    }

    /** The column as written, dots and all. */
    public String columnText() {
        return String.join(".", path.stream().map(NamePattern::text).toList());
    }

    @Override
    public String toString() {
        return "{source: " + source + ", table: " + table + ", column: " + columnText() + ", action: "
                + action.configName() + "}";
    }
}
