package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.time;
import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeleteModesTest {
    private static KeyTimeline timeline(DeletesMode mode) {
        return new KeyTimeline(
                DimensionSpec.builder("users", "id").track("city").deletes(mode).build());
    }

    private static UserChange created() {
        return user(1).inserted().lsn(100).at("10:00:00").city("Seoul").visits(1);
    }

    private static UserChange visited() {
        return user(1).updated().lsn(110).at("11:00:00").city("Seoul").visits(2);
    }

    private static UserChange removed() {
        return user(1).deleted().lsn(120).at("12:00:00").keyOnlyImage();
    }

    private static UserChange reinserted() {
        return user(1).inserted().lsn(130).at("13:00:00").city("Seoul").visits(0);
    }

    @Test
    void invalidateClosesTheCurrentVersionAndAddsNoRow() {
        KeyTimeline timeline = timeline(DeletesMode.INVALIDATE).applyAll(created(), visited());

        ApplyResult result = timeline.apply(removed());

        assertThat(result.emissions())
                .singleElement()
                .satisfies(e -> assertThat(e.row())
                        .containsEntry("valid_to", time("12:00:00"))
                        .containsEntry("is_current", false)
                        .containsEntry("is_deleted", false)
                        .containsEntry("city", "Seoul"));
        assertThat(result.currentRow()).isNull();
        assertThat(result.currentChanged()).isTrue();
        assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 0, 0, 0, 1, 0));
    }

    @Test
    void invalidateThenReinsertStartsANewVersion() {
        KeyTimeline timeline = timeline(DeletesMode.INVALIDATE).applyAll(created(), removed(), reinserted());

        assertThat(timeline.column("version")).containsExactly(1, 2);
        assertThat(timeline.column("valid_from")).containsExactly(time("10:00:00"), time("13:00:00"));
        assertThat(timeline.column("valid_to")).containsExactly(time("12:00:00"), null);
        assertThat(timeline.column("is_deleted")).containsExactly(false, false);
        assertThat(timeline.last().currentRow()).containsEntry("version", 2).containsEntry("visits", 0L);
    }

    @Test
    void newRecordAddsADeletedVersionWithTheLastKnownValues() {
        KeyTimeline timeline = timeline(DeletesMode.NEW_RECORD).applyAll(created(), visited());

        ApplyResult result = timeline.apply(removed());

        assertThat(timeline.column("is_deleted")).containsExactly(false, true);
        assertThat(timeline.rows().get(1))
                .containsEntry("city", "Seoul")
                .containsEntry("visits", 2L)
                .containsEntry("valid_from", time("12:00:00"))
                .containsEntry("valid_to", null)
                .containsEntry("is_current", true)
                .containsEntry("change_op", "d")
                .containsEntry("scd_updated_at", time("12:00:00"));
        assertThat(timeline.rows().get(0)).containsEntry("valid_to", time("12:00:00"));
        assertThat(result.currentRow()).isNull();
        assertThat(result.counts()).isEqualTo(new ChangeCounts(1, 1, 0, 0, 0, 1, 0));
    }

    @Test
    void newRecordThenReinsertStartsANewVersionEvenWithTheSameValues() {
        KeyTimeline timeline = timeline(DeletesMode.NEW_RECORD).applyAll(created(), removed(), reinserted());

        assertThat(timeline.column("is_deleted")).containsExactly(false, true, false);
        assertThat(timeline.column("valid_to")).containsExactly(time("12:00:00"), time("13:00:00"), null);
        assertThat(timeline.column("is_current")).containsExactly(false, false, true);
    }

    @Test
    void ignoreDropsTheDeleteAndKeepsTheCurrentRow() {
        KeyTimeline timeline = timeline(DeletesMode.IGNORE).applyAll(created());

        ApplyResult result = timeline.apply(removed());

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.DELETE_IGNORED);
        assertThat(result.emissions()).isEmpty();
        assertThat(result.currentRow()).containsEntry("city", "Seoul");
        assertThat(result.currentChanged()).isFalse();
        assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 0, 0, 0, 0, 1, 0));
    }

    @Test
    void ignoreThenReinsertComparesWithTheLastVersionLikeAnUpdate() {
        KeyTimeline timeline = timeline(DeletesMode.IGNORE).applyAll(created(), removed(), reinserted());
        assertThat(timeline.column("city")).containsExactly("Seoul");

        timeline.apply(user(1).inserted().lsn(140).at("14:00:00").city("Busan"));

        assertThat(timeline.column("city")).containsExactly("Seoul", "Busan");
    }

    @Test
    void aDeleteOfAKeyNeverSeenChangesNothing() {
        for (DeletesMode mode : DeletesMode.values()) {
            KeyTimeline timeline = timeline(mode);

            ApplyResult result = timeline.apply(removed());

            assertThat(result.emissions()).as(mode.configName()).isEmpty();
            assertThat(result.currentRow()).as(mode.configName()).isNull();
        }
    }

    @Test
    void aLateUpdateBeforeADeleteLandsInsideTheClosedVersion() {
        UserChange moved = user(1).updated().lsn(110).at("11:00:00").city("Busan");
        for (DeletesMode mode : new DeletesMode[] {DeletesMode.INVALIDATE, DeletesMode.NEW_RECORD}) {
            KeyTimeline inOrder = timeline(mode).applyAll(created(), moved, removed());

            KeyTimeline late = timeline(mode).applyAll(created(), removed(), moved);

            assertThat(late.historyTopic()).as(mode.configName()).isEqualTo(inOrder.historyTopic());
            assertThat(late.last().currentRow()).as(mode.configName()).isNull();
            assertThat(late.column("city").subList(0, 2)).containsExactly("Seoul", "Busan");
        }
    }
}
