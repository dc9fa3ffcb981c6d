package io.sluice.dimensions;

import io.sluice.schemas.SourcePosition;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change's place in its source database's log, totally ordered, so that one key's changes can be
 * applied in source order whatever order they arrive in. Equal sequences mean the same source
 * change (a redelivery).
 *
 * <ul>
 *   <li>PostgreSQL: {@code (lastCommitLsn, lsn)} from Debezium's {@code sequence} pair, because a
 *       change's own LSN is not monotonic across interleaved transactions while the preceding
 *       commit's LSN is; a missing {@code lastCommitLsn} (or no {@code sequence}) falls back to the
 *       change's LSN: {@code (lsn, lsn)}.</li>
 *   <li>MySQL/MariaDB binlog: {@code (file number, pos, row)}, the number being the file name's
 *       numeric suffix ({@code mysql-bin.000042} → 42); equal numbers with different base names
 *       are ordered by the file name, so the order stays total.</li>
 *   <li>GTID only (no binlog coordinates; when both are present the coordinates win): ordered by
 *       {@code (source, transaction number, row)}, where for MySQL {@code uuid:N} the source is the
 *       server uuid and for MariaDB {@code domain-server-seq} it is the domain (its sequence numbers
 *       continue across a primary switch). GTIDs of different sources have no order in the
 *       database; they are ordered by source text, which is deterministic but arbitrary, so a
 *       MySQL primary switch (new uuid) can make the new primary's changes sort before the old
 *       one's. Prefer binlog coordinates where the connector provides them.</li>
 * </ul>
 *
 * Sequences of different kinds (which one table's connector never mixes) order PostgreSQL before
 * binlog before GTID. Every remaining tie is broken by the text form, so the order is consistent
 * with {@link #equals}.
 *
 * <p>Text forms ({@link #text()}, parsed back by {@link #parse}): {@code pg:<lastCommitLsn>:<lsn>},
 * {@code binlog:<file>:<pos>:<row>}, {@code gtid:<gtid>:<row>}.
 */
public final class DimensionSequence implements Comparable<DimensionSequence> {
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");
    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
    private static final Pattern PG_PAIR = Pattern.compile("\\[\\s*(null|\"[^\"]*\")\\s*,\\s*(null|\"[^\"]*\")\\s*]");
    private static final Comparator<DimensionSequence> ORDER = Comparator.<DimensionSequence, Kind>comparing(
                    s -> s.kind)
            .thenComparing(s -> s.kind == Kind.GTID ? s.source : "")
            .thenComparingLong(s -> s.first)
            .thenComparingLong(s -> s.second)
            .thenComparingLong(s -> s.third)
            .thenComparing(s -> s.text);

    private enum Kind {
        POSTGRES,
        BINLOG,
        GTID
    }

    private final Kind kind;
    private final String source;
    private final long first;
    private final long second;
    private final long third;
    private final String text;

    private DimensionSequence(Kind kind, String source, long first, long second, long third, String text) {
        this.kind = kind;
        this.source = source;
        this.first = first;
        this.second = second;
        this.third = third;
        this.text = text;
    }

    /** A PostgreSQL position: the preceding commit's LSN and the change's own LSN. */
    public static DimensionSequence postgres(long lastCommitLsn, long lsn) {
        return new DimensionSequence(Kind.POSTGRES, "", lastCommitLsn, lsn, 0, "pg:" + lastCommitLsn + ":" + lsn);
    }

    /** A MySQL/MariaDB binlog position. */
    public static DimensionSequence binlog(String file, long pos, int row) {
        if (file == null || file.isEmpty() || file.indexOf(':') >= 0) {
            throw new IllegalArgumentException("binlog file name must be non-empty and contain no ':'");
        }
        Matcher number = TRAILING_NUMBER.matcher(file);
        long fileNumber = number.find() ? Long.parseLong(number.group(1)) : 0;
        return new DimensionSequence(Kind.BINLOG, file, fileNumber, pos, row, "binlog:" + file + ":" + pos + ":" + row);
    }

    /** A GTID position (MySQL {@code uuid:N} or MariaDB {@code domain-server-seq}) and the row within its event. */
    public static DimensionSequence gtid(String gtid, int row) {
        if (gtid == null || gtid.isEmpty()) {
            throw new IllegalArgumentException("GTID must not be empty");
        }
        String source = gtid;
        long number = 0;
        Matcher mariadb = MARIADB_GTID.matcher(gtid);
        int colon = gtid.lastIndexOf(':');
        if (mariadb.matches()) {
            source = mariadb.group(1);
            number = Long.parseLong(mariadb.group(3));
        } else if (colon > 0) {
            source = gtid.substring(0, colon);
            // A GTID set interval (uuid:1-42) stands for its last transaction.
            Matcher last = TRAILING_NUMBER.matcher(gtid.substring(colon + 1));
            number = last.find() ? Long.parseLong(last.group(1)) : 0;
        }
        return new DimensionSequence(Kind.GTID, source, number, row, 0, "gtid:" + gtid + ":" + row);
    }

    /**
     * The sequence of a curated row's {@code __source_seq} ({@code pg:<lsn>[:<txId>]},
     * {@code binlog:<file>:<pos>:<row>}, {@code gtid:<gtid>[:<row>]}). PostgreSQL changes are ordered
     * by their own LSN: for one row that is commit order (a later transaction can change the row only
     * after the earlier one committed and released its lock, so its change is written after that
     * commit), and unlike Debezium's {@code [lastCommitLsn, lsn]} pair it does not depend on what the
     * connector instance happened to see before, so a redelivery after a connector restart is
     * recognised as the same change.
     */
    public static DimensionSequence ofCurated(String sourceSeq) {
        if (sourceSeq == null || sourceSeq.isEmpty()) {
            throw new IllegalArgumentException("a dimension change needs a source position (__source_seq)");
        }
        if (sourceSeq.startsWith("pg:[")) {
            return of(new SourcePosition(null, null, sourceSeq.substring(3), null, null, null, null));
        }
        if (sourceSeq.startsWith("pg:")) {
            String[] parts = sourceSeq.substring(3).split(":");
            long lsn = Long.parseLong(parts[0]);
            return postgres(lsn, lsn);
        }
        if (sourceSeq.startsWith("binlog:")) {
            String rest = sourceSeq.substring("binlog:".length());
            int rowAt = rest.lastIndexOf(':');
            int posAt = rest.lastIndexOf(':', rowAt - 1);
            return binlog(
                    rest.substring(0, posAt),
                    Long.parseLong(rest.substring(posAt + 1, rowAt)),
                    Integer.parseInt(rest.substring(rowAt + 1)));
        }
        if (sourceSeq.startsWith("gtid:")) {
            String gtid = sourceSeq.substring("gtid:".length());
            String[] parts = gtid.split(":");
            boolean mysql = !MARIADB_GTID.matcher(parts[0]).matches();
            int segments = mysql ? 2 : 1;
            if (parts.length > segments) {
                return gtid(gtid.substring(0, gtid.lastIndexOf(':')), Integer.parseInt(parts[parts.length - 1]));
            }
            return gtid(gtid, 0);
        }
        throw new IllegalArgumentException("unknown source position form (expected pg:, binlog: or gtid:)");
    }

    /** The sequence of a Debezium source position, as described on the class. */
    public static DimensionSequence of(SourcePosition position) {
        if (position == null) {
            throw new IllegalArgumentException(
                    "a dimension change needs a source position (LSN, binlog file/pos or GTID)");
        }
        int row = position.row() == null ? 0 : position.row();
        if (position.file() != null && position.pos() != null) {
            return binlog(position.file(), position.pos(), row);
        }
        if (position.gtid() != null) {
            return gtid(position.gtid(), row);
        }
        if (position.sequence() != null) {
            Matcher pair = PG_PAIR.matcher(position.sequence());
            if (!pair.matches()) {
                throw new IllegalArgumentException("PostgreSQL sequence is not a [lastCommitLsn, lsn] pair");
            }
            Long lsn = lsnOrNull(pair.group(2));
            lsn = lsn != null ? lsn : position.lsn();
            if (lsn == null) {
                throw new IllegalArgumentException("PostgreSQL sequence has no lsn");
            }
            Long lastCommit = lsnOrNull(pair.group(1));
            return postgres(lastCommit != null ? lastCommit : lsn, lsn);
        }
        if (position.lsn() != null) {
            return postgres(position.lsn(), position.lsn());
        }
        throw new IllegalArgumentException("source position has neither an LSN, binlog coordinates nor a GTID");
    }

    /** The sequence of a {@link #text()} form. */
    public static DimensionSequence parse(String text) {
        try {
            if (text.startsWith("pg:")) {
                String[] parts = text.substring(3).split(":", -1);
                if (parts.length == 2) {
                    return postgres(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            } else if (text.startsWith("binlog:")) {
                String rest = text.substring(7);
                int rowColon = rest.lastIndexOf(':');
                int posColon = rest.lastIndexOf(':', rowColon - 1);
                return binlog(
                        rest.substring(0, posColon),
                        Long.parseLong(rest.substring(posColon + 1, rowColon)),
                        Integer.parseInt(rest.substring(rowColon + 1)));
            } else if (text.startsWith("gtid:")) {
                String rest = text.substring(5);
                int rowColon = rest.lastIndexOf(':');
                return gtid(rest.substring(0, rowColon), Integer.parseInt(rest.substring(rowColon + 1)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a dimension sequence: '" + text + "'", e);
        }
        throw new IllegalArgumentException("not a dimension sequence: '" + text + "'");
    }

    /** The stable text form, written to the {@code source_seq} column and hashed into {@code scd_id}. */
    public String text() {
        return text;
    }

    @Override
    public int compareTo(DimensionSequence other) {
        return ORDER.compare(this, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DimensionSequence s && text.equals(s.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** An LSN as Debezium writes it in {@code sequence}: decimal text, or PostgreSQL's {@code XXX/XXX} hex form. */
    private static Long lsnOrNull(String quoted) {
        if ("null".equals(quoted)) {
            return null;
        }
        String lsn = quoted.substring(1, quoted.length() - 1);
        if (lsn.isEmpty()) {
            return null;
        }
        int slash = lsn.indexOf('/');
        if (slash > 0) {
            return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
        }
        return Long.parseLong(lsn);
    }
}
