package io.sluice.pii;

/** The coordinates of a column: which source, which table, which column. Never a value. */
public record ColumnRef(String source, String table, String column) {}
