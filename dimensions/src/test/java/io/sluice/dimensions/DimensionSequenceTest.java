package io.sluice.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.SourcePosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DimensionSequenceTest {
    private static DimensionSequence pg(Long lsn, String sequence) {
        return DimensionSequence.of(new SourcePosition(lsn, 7L, sequence, null, null, null, null));
    }

    private static DimensionSequence binlog(String file, long pos, Integer row) {
        return DimensionSequence.of(new SourcePosition(null, null, null, file, pos, row, null));
    }

    private static DimensionSequence gtid(String gtid) {
        return DimensionSequence.of(new SourcePosition(null, null, null, null, null, null, gtid));
    }

    @Test
    void ordersPostgresByTheLastCommitLsnBeforeTheChangesOwnLsn() {
        // Transaction B began (lsn 500) before A's change (lsn 600) but committed after A (commit 700).
        DimensionSequence aChange = pg(600L, "[\"400\",\"600\"]");
        DimensionSequence bChange = pg(500L, "[\"700\",\"500\"]");

        assertThat(aChange).isLessThan(bChange);
        assertThat(aChange.text()).isEqualTo("pg:400:600");
    }

    @Test
    void fallsBackToTheLsnWithoutASequenceOrItsCommitLsn() {
        assertThat(pg(600L, null)).isEqualTo(DimensionSequence.postgres(600, 600));
        assertThat(pg(600L, "[null,\"600\"]")).isEqualTo(DimensionSequence.postgres(600, 600));
        assertThat(pg(null, "[\"0/10\",\"0/20\"]")).isEqualTo(DimensionSequence.postgres(16, 32));
    }

    @Test
    void ordersBinlogByFileNumberThenPositionThenRow() {
        List<DimensionSequence> expected = List.of(
                binlog("mysql-bin.9", 900, 0),
                binlog("mysql-bin.10", 4, 0),
                binlog("mysql-bin.10", 4, 1),
                binlog("mysql-bin.10", 120, 0),
                binlog("mysql-bin.000011", 4, null));
        List<DimensionSequence> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(1));

        Collections.sort(shuffled);

        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void prefersBinlogCoordinatesOverTheGtid() {
        DimensionSequence both =
                DimensionSequence.of(new SourcePosition(null, null, null, "mysql-bin.3", 77L, 2, "uuid-a:9"));

        assertThat(both).isEqualTo(DimensionSequence.binlog("mysql-bin.3", 77, 2));
    }

    @Test
    void ordersMysqlGtidsOfOneServerByTransactionNumber() {
        assertThat(gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:9"))
                .isLessThan(gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:10"));
    }

    @Test
    void ordersMariadbGtidsOfOneDomainBySequenceAcrossServers() {
        assertThat(gtid("0-1-41")).isLessThan(gtid("0-2-42"));
        assertThat(gtid("0-2-42")).isLessThan(gtid("0-1-43"));
    }

    @Test
    void equalPositionsAreEqualAndDifferentOnesNeverTie() {
        assertThat(binlog("mysql-bin.10", 4, 1))
                .isEqualTo(binlog("mysql-bin.10", 4, 1))
                .isEqualByComparingTo(binlog("mysql-bin.10", 4, 1));
        // Same number and position under another base name: still a total, deterministic order.
        assertThat(binlog("a-bin.10", 4, 1).compareTo(binlog("b-bin.10", 4, 1))).isNegative();
        assertThat(gtid("0-1-42").compareTo(gtid("0-2-42"))).isNegative();
        assertThat(DimensionSequence.postgres(1, 1)).isLessThan(binlog("mysql-bin.1", 1, 0));
    }

    @Test
    void textFormRoundTripsForEveryKind() {
        for (DimensionSequence sequence : List.of(
                DimensionSequence.postgres(400, 600),
                binlog("mysql-bin.000042", 1234, 3),
                gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:23"),
                gtid("0-1-42"))) {
            assertThat(DimensionSequence.parse(sequence.text()))
                    .isEqualTo(sequence)
                    .isEqualByComparingTo(sequence);
        }
        assertThat(gtid("0-1-42").text()).isEqualTo("gtid:0-1-42:0");
    }

    @Test
    void rejectsAPositionWithNothingToOrderBy() {
        assertThatThrownBy(() -> DimensionSequence.of(null)).hasMessageContaining("needs a source position");
        assertThatThrownBy(() -> DimensionSequence.parse("kafka:1")).hasMessageContaining("not a dimension sequence");
    }

    @Test
    void readsTheCuratedSourceSeqOfEveryConnectorKind() {
        assertThat(DimensionSequence.ofCurated("pg:24268912:740"))
                .isEqualTo(DimensionSequence.postgres(24268912, 24268912));
        assertThat(DimensionSequence.ofCurated("pg:24268912"))
                .isEqualTo(DimensionSequence.postgres(24268912, 24268912));
        assertThat(DimensionSequence.ofCurated("binlog:mysql-bin.000042:1234:2"))
                .isEqualTo(DimensionSequence.binlog("mysql-bin.000042", 1234, 2));
        assertThat(DimensionSequence.ofCurated("gtid:3E11FA47-71CA-11E1-9E33-C80AA9429562:23:1"))
                .isEqualTo(DimensionSequence.gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:23", 1));
        assertThat(DimensionSequence.ofCurated("gtid:3E11FA47-71CA-11E1-9E33-C80AA9429562:23"))
                .isEqualTo(DimensionSequence.gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:23", 0));
        assertThat(DimensionSequence.ofCurated("gtid:0-1-100:3")).isEqualTo(DimensionSequence.gtid("0-1-100", 3));
        assertThat(DimensionSequence.ofCurated("gtid:0-1-100")).isEqualTo(DimensionSequence.gtid("0-1-100", 0));
    }

    @Test
    void aPostgresChangeRedeliveredByARestartedConnectorIsTheSameSequence() {
        // The restarted connector has no last commit LSN for its first event: the curated text does not carry it.
        assertThat(DimensionSequence.ofCurated("pg:600:7"))
                .isEqualTo(DimensionSequence.ofCurated("pg:600:7"))
                .isLessThan(DimensionSequence.ofCurated("pg:650:8"));
    }
}
