package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.time;
import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DimensionHistoryTest {
    private static final DimensionSpec USERS =
            DimensionSpec.builder("users", "id").track("city", "tier").build();

    private final KeyTimeline timeline = new KeyTimeline(USERS);

    @Test
    void opensTheFirstVersionOnInsert() {
        ApplyResult result = timeline.apply(user(1).inserted()
                .lsn(100)
                .at("10:00:00")
                .city("Seoul")
                .tier("gold")
                .visits(1));

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(result.emissions()).singleElement().satisfies(emission -> {
            assertThat(emission.scdId()).matches("[0-9a-f]{32}");
            assertThat(emission.row().keySet())
                    .containsExactly(
                            "id",
                            "city",
                            "tier",
                            "visits",
                            "valid_from",
                            "valid_to",
                            "scd_id",
                            "scd_updated_at",
                            "is_deleted",
                            "version",
                            "is_current",
                            "change_op",
                            "source_seq");
            assertThat(emission.row())
                    .containsEntry("id", 1)
                    .containsEntry("city", "Seoul")
                    .containsEntry("tier", "gold")
                    .containsEntry("visits", 1L)
                    .containsEntry("valid_from", time("10:00:00"))
                    .containsEntry("valid_to", null)
                    .containsEntry("scd_id", emission.scdId())
                    .containsEntry("scd_updated_at", time("10:00:00"))
                    .containsEntry("is_deleted", false)
                    .containsEntry("version", 1)
                    .containsEntry("is_current", true)
                    .containsEntry("change_op", "c")
                    .containsEntry("source_seq", "pg:100:100");
        });
        assertThat(result.currentRow()).isEqualTo(result.emissions().get(0).row());
        assertThat(result.counts()).isEqualTo(new ChangeCounts(1, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void closesPreviousVersionWhenTrackedColumnChanges() {
        timeline.apply(user(1).inserted().lsn(100).at("10:00:00").city("Seoul").tier("gold"));

        ApplyResult result = timeline.apply(
                user(1).updated().lsn(110).at("11:00:00").city("Busan").tier("gold"));

        assertThat(result.emissions()).hasSize(2);
        assertThat(result.emissions().get(0).row())
                .containsEntry("version", 1)
                .containsEntry("valid_to", time("11:00:00"))
                .containsEntry("is_current", false);
        assertThat(result.emissions().get(1).row())
                .containsEntry("version", 2)
                .containsEntry("city", "Busan")
                .containsEntry("valid_from", time("11:00:00"))
                .containsEntry("valid_to", null)
                .containsEntry("is_current", true);
        assertThat(result.counts()).isEqualTo(new ChangeCounts(1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void keepsEveryVersionOfSeveralChangesWithinOneSecond() {
        timeline.applyAll(
                user(1).inserted().lsn(100).at("10:00:00.000").city("Seoul"),
                user(1).updated().lsn(101).at("10:00:00.000").city("Busan"),
                user(1).updated().lsn(102).at("10:00:00.400").city("Incheon"),
                user(1).updated().lsn(103).at("10:00:00.999").city("Daegu"));

        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan", "Incheon", "Daegu");
        assertThat(timeline.column("valid_from"))
                .containsExactly(
                        time("10:00:00.000"), time("10:00:00.000"), time("10:00:00.400"), time("10:00:00.999"));
        assertThat(timeline.column("valid_to"))
                .containsExactly(time("10:00:00.000"), time("10:00:00.400"), time("10:00:00.999"), null);
        // A version that lasted no time at all is never the answer to "as of": the later one is.
        assertThat(timeline.history()
                        .asOf(timeline.state(), time("10:00:00.000"))
                        .orElseThrow()
                        .attributes())
                .containsEntry("city", "Busan");
    }

    @Test
    void changeOfOnlyUntrackedColumnsAddsNoVersionButUpdatesTheCurrentRow() {
        timeline.apply(user(1).inserted()
                .lsn(100)
                .at("10:00:00")
                .city("Seoul")
                .tier("gold")
                .visits(1));

        ApplyResult result = timeline.apply(user(1).updated()
                .lsn(110)
                .at("11:00:00")
                .city("Seoul")
                .tier("gold")
                .visits(2));

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(result.emissions()).isEmpty();
        assertThat(result.counts()).isEqualTo(ChangeCounts.NONE);
        assertThat(result.currentChanged()).isTrue();
        assertThat(result.currentRow())
                .containsEntry("visits", 2L)
                .containsEntry("version", 1)
                .containsEntry("valid_from", time("10:00:00"))
                .containsEntry("scd_updated_at", time("11:00:00"))
                .containsEntry("change_op", "u")
                .containsEntry("source_seq", "pg:110:110");
        assertThat(timeline.rows())
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("visits", 1L));
    }

    @Test
    void tracksEveryColumnByDefault() {
        KeyTimeline allColumns =
                new KeyTimeline(DimensionSpec.builder("users", "id").build());

        allColumns.applyAll(
                user(1).inserted().lsn(100).at("10:00:00").city("Seoul").visits(1),
                user(1).updated().lsn(110).at("11:00:00").city("Seoul").visits(2));

        assertThat(allColumns.column("visits")).containsExactly(1L, 2L);
    }

    @Test
    void ignoresColumnsListedInTrackExcept() {
        KeyTimeline exceptVisits = new KeyTimeline(
                DimensionSpec.builder("users", "id").trackExcept("visits").build());

        exceptVisits.applyAll(
                user(1).inserted().lsn(100).at("10:00:00").city("Seoul").visits(1),
                user(1).updated().lsn(110).at("11:00:00").city("Seoul").visits(2),
                user(1).updated().lsn(120).at("12:00:00").city("Busan").visits(2));

        assertThat(exceptVisits.column("city")).containsExactly("Seoul", "Busan");
    }

    @Test
    void aColumnAddedToTheTableWithNullsOpensNoVersion() {
        KeyTimeline allColumns =
                new KeyTimeline(DimensionSpec.builder("users", "id").build());

        allColumns.applyAll(
                user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                user(1).updated().lsn(110).at("11:00:00").city("Seoul").with("nickname", null));

        assertThat(allColumns.rows()).hasSize(1);
    }

    @Test
    void insertsAnUpdateThatArrivesAfterTwoNewerOnesWhereItBelongs() {
        UserChange created = user(1).inserted().lsn(100).at("10:00:00").city("Seoul");
        UserChange late = user(1).updated().lsn(110).at("11:00:00").city("Busan");
        UserChange newer = user(1).updated().lsn(120).at("12:00:00").city("Incheon");
        UserChange newest = user(1).updated().lsn(130).at("13:00:00").city("Daegu");
        KeyTimeline inOrder = new KeyTimeline(USERS).applyAll(created, late, newer, newest);

        timeline.applyAll(created, newer, newest);
        ApplyResult result = timeline.apply(late);

        assertThat(timeline.historyTopic()).isEqualTo(inOrder.historyTopic());
        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan", "Incheon", "Daegu");
        assertThat(timeline.column("version")).containsExactly(1, 2, 3, 4);
        // v1 gets its new end, v2 is new, v3 and v4 are renumbered: all re-emitted.
        assertThat(result.emissions())
                .extracting(e -> e.row().get("city"))
                .containsExactly("Seoul", "Busan", "Incheon", "Daegu");
        assertThat(result.counts()).isEqualTo(new ChangeCounts(1, 1, 0, 1, 0, 0, 0));
        assertThat(result.currentChanged()).isTrue();
        assertThat(result.currentRow()).containsEntry("city", "Daegu").containsEntry("version", 4);
    }

    @Test
    void retractsALaterVersionThatAnOutOfOrderChangeMakesRedundant() {
        UserChange created = user(1).inserted().lsn(100).at("10:00:00").city("Seoul");
        UserChange late =
                user(1).updated().lsn(110).at("11:00:00").city("Busan").visits(1);
        UserChange newer =
                user(1).updated().lsn(120).at("12:00:00").city("Busan").visits(2);
        KeyTimeline inOrder = new KeyTimeline(USERS).applyAll(created, late, newer);
        timeline.applyAll(created, newer);
        String redundantScdId = timeline.rows().get(1).get("scd_id").toString();

        ApplyResult result = timeline.apply(late);

        // the retraction names the hour its version's rows are in: the version opened at 12:00
        assertThat(result.emissions().get(0)).isEqualTo(new Emission(redundantScdId, null, time("12:00:00")));
        assertThat(result.counts().versionsRetracted()).isEqualTo(1);
        assertThat(timeline.historyTopic()).isEqualTo(inOrder.historyTopic());
        assertThat(timeline.column("valid_from")).containsExactly(time("10:00:00"), time("11:00:00"));
        assertThat(timeline.column("visits")).containsExactly(null, 1L);
    }

    @Test
    void anOutOfOrderChangeRevealsAVersionThatAnUntrackedChangeHid() {
        UserChange created = user(1).inserted().lsn(100).at("10:00:00").city("Seoul");
        UserChange moved = user(1).updated().lsn(110).at("11:00:00").city("Busan");
        UserChange late = user(1).updated().lsn(115).at("11:30:00").city("Seoul");
        UserChange visited =
                user(1).updated().lsn(120).at("12:00:00").city("Busan").visits(9);
        timeline.applyAll(created, moved, visited);
        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan");

        timeline.apply(late);

        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan", "Seoul", "Busan");
        assertThat(timeline.historyTopic())
                .isEqualTo(new KeyTimeline(USERS)
                        .applyAll(created, moved, late, visited)
                        .historyTopic());
    }

    @Test
    void ignoresDuplicateEventsAfterAConnectorRestart() {
        UserChange created = user(1).inserted().lsn(100).at("10:00:00").city("Seoul");
        UserChange moved = user(1).updated().lsn(110).at("11:00:00").city("Busan");
        UserChange visited =
                user(1).updated().lsn(120).at("12:00:00").city("Busan").visits(3);
        timeline.applyAll(created, moved, visited);
        Map<String, Map<String, Object>> before = Map.copyOf(timeline.historyTopic());
        byte[] stateBefore = new KeyHistoryCodec().encode(timeline.state());

        // The connector restarts from its last committed offset and re-sends the last two changes.
        ApplyResult movedAgain =
                timeline.apply(user(1).updated().lsn(110).at("11:00:00").city("Busan"));
        ApplyResult visitedAgain = timeline.apply(visited);

        assertThat(movedAgain.outcome()).isEqualTo(ApplyOutcome.DUPLICATE);
        assertThat(visitedAgain.outcome()).isEqualTo(ApplyOutcome.DUPLICATE);
        assertThat(movedAgain.emissions()).isEmpty();
        assertThat(movedAgain.counts()).isEqualTo(ChangeCounts.DUPLICATE);
        assertThat(movedAgain.currentChanged()).isFalse();
        assertThat(movedAgain.currentRow()).containsEntry("visits", 3L);
        assertThat(timeline.historyTopic()).isEqualTo(before);
        assertThat(new KeyHistoryCodec().encode(timeline.state())).isEqualTo(stateBefore);
    }

    @Test
    void snapshotReadEstablishesTheFirstVersionAndStreamingContinuesIt() {
        timeline.applyAll(
                user(1).snapshotRead().lsn(100).at("10:00:00").city("Seoul"),
                user(1).updated().lsn(110).at("11:00:00").city("Busan"));

        assertThat(timeline.column("change_op")).containsExactly("r", "u");
        assertThat(timeline.column("version")).containsExactly(1, 2);
    }

    @Test
    void aRepeatedSnapshotWithEqualTrackedValuesIsIdempotent() {
        timeline.apply(
                user(1).snapshotRead().lsn(100).at("10:00:00").city("Seoul").visits(1));

        ApplyResult again = timeline.apply(
                user(1).snapshotRead().lsn(500).at("18:00:00").city("Seoul").visits(1));

        assertThat(again.outcome()).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(again.emissions()).isEmpty();
        assertThat(timeline.rows())
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("valid_from", time("10:00:00")));
    }

    @Test
    void aRepeatedSnapshotWithChangedValuesOpensAVersion() {
        timeline.applyAll(
                user(1).snapshotRead().lsn(100).at("10:00:00").city("Seoul"),
                user(1).snapshotRead().lsn(500).at("18:00:00").city("Busan"));

        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan");
        assertThat(timeline.column("change_op")).containsExactly("r", "r");
    }

    @Test
    void writesDbtColumnNames() {
        KeyTimeline dbt = new KeyTimeline(DimensionSpec.builder("users", "id")
                .track("city")
                .naming(ColumnNaming.DBT)
                .build());

        dbt.applyAll(
                user(1).inserted().lsn(100).at("10:00:00").city("Seoul").with("updated_at", "2024-04-30"),
                user(1).updated().lsn(110).at("11:00:00").city("Busan").with("updated_at", "2024-05-01"));

        assertThat(dbt.rows().get(0))
                .containsOnlyKeys(
                        "id",
                        "city",
                        "updated_at",
                        "dbt_valid_from",
                        "dbt_valid_to",
                        "dbt_scd_id",
                        "dbt_updated_at",
                        "dbt_is_deleted",
                        "version",
                        "is_current",
                        "change_op",
                        "source_seq")
                .containsEntry("dbt_valid_to", time("11:00:00"))
                .containsEntry("updated_at", "2024-04-30");
    }

    @Test
    void scdIdIsStableAcrossReplaysAndNumberTypes() {
        KeyTimeline longKey = new KeyTimeline(USERS)
                .applyAll(
                        user(7L).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(7L).updated().lsn(110).at("11:00:00").city("Busan"));
        KeyTimeline intKey = new KeyTimeline(USERS)
                .applyAll(
                        user(7).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(7).updated().lsn(110).at("11:00:00").city("Busan"));
        KeyTimeline otherKey = new KeyTimeline(USERS)
                .applyAll(user(8).inserted().lsn(100).at("10:00:00").city("Seoul"));

        assertThat(longKey.historyTopic().keySet())
                .containsExactlyElementsOf(intKey.historyTopic().keySet())
                .hasSize(2);
        assertThat(otherKey.historyTopic().keySet())
                .doesNotContainAnyElementsOf(longKey.historyTopic().keySet());
    }

    @Test
    void clampsValidFromWhenTheSourceClockStepsBack() {
        timeline.applyAll(
                user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                user(1).updated().lsn(110).at("09:59:59").city("Busan"));

        assertThat(timeline.column("valid_from")).containsExactly(time("10:00:00"), time("10:00:00"));
        assertThat(timeline.column("scd_updated_at")).containsExactly(time("10:00:00"), time("09:59:59"));
    }

    @Test
    void rejectsASourceColumnNamedLikeAHistoryColumn() {
        DimensionHistory history = new DimensionHistory(USERS);

        assertThatThrownBy(() -> history.apply(
                        null,
                        user(1).inserted().lsn(100).with("scd_updated_at", "x").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'scd_updated_at'")
                .hasMessageContaining("naming")
                .hasMessageNotContaining("x'");
    }

    @Test
    void rejectsAChangeForAnotherKeyOrWithoutTheKey() {
        DimensionHistory history = new DimensionHistory(USERS);
        KeyHistory state = history.apply(
                        null, user(1).inserted().lsn(100).city("Seoul").build())
                .state();

        assertThatThrownBy(() -> history.apply(
                        state, user(2).updated().lsn(110).city("Seoul").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another natural key");
        assertThatThrownBy(() -> history.apply(
                        state,
                        new DimensionChange(
                                ChangeOp.UPDATE, DimensionSequence.postgres(1, 1), 0, Map.of(), Map.of("user_id", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'");
    }
}
