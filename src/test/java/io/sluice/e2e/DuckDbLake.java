package io.sluice.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the lake with DuckDB, an independent Parquet reader, the way analysts will. */
final class DuckDbLake {
    static final String HIVE_TYPES = "hive_types={'year': INTEGER, 'month': INTEGER, 'day': INTEGER, 'hour': INTEGER}";

    private final Path curated;

    DuckDbLake(Path lake) {
        this.curated = lake.resolve("curated");
    }

    /** {@code read_parquet(...)} over one table, or every table with "**". */
    String table(String table) {
        return "read_parquet('" + curated + "/" + table + "/**/*.parquet', hive_partitioning=true, " + HIVE_TYPES
                + ", union_by_name=true)";
    }

    List<List<Object>> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    List<String> columns(String table) throws SQLException {
        return query("SELECT column_name FROM (DESCRIBE SELECT * FROM " + table(table) + ")").stream()
                .map(row -> (String) row.get(0))
                .toList();
    }
}
