package io.sluice.schemas;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a change event sits in its database's log, as Debezium's {@code source} block says: the
 * PostgreSQL LSN and transaction id (and the {@code sequence} pair), or the MySQL/MariaDB binlog
 * file, position and row, or GTID. Ordering and duplicate detection use it.
 *
 * @param lsn      PostgreSQL log sequence number, or null
 * @param txId     transaction id, or null
 * @param sequence PostgreSQL {@code [lastCommitLsn, lsn]} as Debezium writes it, or null
 * @param file     binlog file, or null
 * @param pos      binlog position, or null
 * @param row      row within the binlog event, or null
 * @param gtid     global transaction id, or null
 */
public record SourcePosition(Long lsn, Long txId, String sequence, String file, Long pos, Integer row, String gtid) {

    /** The position in an envelope's {@code source} block; null when it carries none. */
    public static SourcePosition of(JsonNode source) {
        if (source == null || !source.isObject()) {
            return null;
        }
        SourcePosition p = new SourcePosition(
                longOrNull(source, "lsn"),
                longOrNull(source, "txId"),
                textOrNull(source, "sequence"),
                textOrNull(source, "file"),
                longOrNull(source, "pos"),
                source.path("row").isIntegralNumber() ? source.get("row").intValue() : null,
                textOrNull(source, "gtid"));
        return p.lsn == null && p.file == null && p.gtid == null ? null : p;
    }

    /**
     * One text for the curated {@code __source_seq} column and deduplication: {@code pg:<lsn>:<txId>},
     * {@code gtid:<gtid>}, or {@code binlog:<file>:<pos>:<row>}. PostgreSQL's {@code sequence} pair is
     * left out on purpose: its first element (the last commit LSN) is the connector's own memory, so
     * the same change re-read by a restarted connector or another slot can carry a different pair.
     */
    public String text() {
        if (lsn != null) {
            return "pg:" + lsn + (txId != null ? ":" + txId : "");
        }
        if (sequence != null) {
            return "pg:" + sequence;
        }
        if (gtid != null) {
            return "gtid:" + gtid + (row != null ? ":" + row : "");
        }
        return "binlog:" + file + ":" + pos + ":" + (row == null ? 0 : row);
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() && v.isNumber() ? v.longValue() : null;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
    }
}
