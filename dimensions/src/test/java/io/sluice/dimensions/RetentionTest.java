package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.time;
import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    private static KeyTimeline timeline(DeletesMode mode, Duration retention) {
        return new KeyTimeline(DimensionSpec.builder("users", "id")
                .track("city")
                .deletes(mode)
                .retention(retention)
                .build());
    }

    private static KeyTimeline movedThreeTimes() {
        return timeline(DeletesMode.INVALIDATE, ONE_HOUR)
                .applyAll(
                        user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(1).updated().lsn(110).at("10:10:00").city("Busan"),
                        user(1).updated().lsn(120).at("12:00:00").city("Incheon"),
                        user(1).updated().lsn(130).at("13:30:00").city("Daegu"));
    }

    @Test
    void prunesVersionsThatClosedBeforeTheRetention() {
        KeyTimeline timeline = movedThreeTimes();

        // Cutoff 12:30: Seoul (to 10:10) and Busan (to 12:00) leave the state; Incheon (to 13:30) stays.
        KeyHistory state = timeline.state();
        assertThat(state.prunedVersionCount()).isEqualTo(2);
        assertThat(timeline.history().versions(state))
                .extracting(DimensionVersion::number)
                .containsExactly(3, 4);
        assertThat(timeline.column("city"))
                .as("the history topic keeps them")
                .containsExactly("Seoul", "Busan", "Incheon", "Daegu");

        timeline.apply(user(1).updated().lsn(140).at("13:40:00").city("Ulsan"));

        assertThat(timeline.column("version")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void keepsTheCurrentVersionHoweverOldItIs() {
        KeyTimeline timeline = timeline(DeletesMode.INVALIDATE, ONE_HOUR);
        timeline.apply(user(1).inserted().lsn(100).at("00:00:00").city("Seoul"));
        for (int hour = 1; hour < 10; hour++) {
            timeline.apply(user(1).updated()
                    .lsn(100 + hour)
                    .at("0" + hour + ":00:00")
                    .city("Seoul")
                    .visits(hour));
        }

        assertThat(timeline.history().versions(timeline.state()))
                .singleElement()
                .satisfies(v -> assertThat(v.validFromMs()).isEqualTo(time("00:00:00")));
        assertThat(timeline.last().currentRow()).containsEntry("visits", 9L).containsEntry("version", 1);
    }

    @Test
    void boundsTheStateOfAKeyThatOnlyEverChangesUntrackedColumns() {
        KeyTimeline timeline = timeline(DeletesMode.INVALIDATE, ONE_HOUR);
        long start = time("00:00:00");
        for (int minute = 0; minute < 5_000; minute++) {
            timeline.apply(user(1).updated()
                    .lsn(100 + minute)
                    .atMs(start + minute * 60_000L)
                    .city("Seoul")
                    .visits(minute));
        }

        assertThat(timeline.state().retainedChangeCount()).isLessThanOrEqualTo(61);
        assertThat(timeline.rows()).hasSize(1);
    }

    @Test
    void rejectsAChangeOlderThanTheRetainedHistoryAsTooOld() {
        KeyTimeline timeline = movedThreeTimes();
        byte[] before = new KeyHistoryCodec().encode(timeline.state());

        ApplyResult result =
                timeline.apply(user(1).updated().lsn(105).at("10:05:00").city("Ulsan"));

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.TOO_OLD);
        assertThat(result.counts()).isEqualTo(ChangeCounts.TOO_OLD);
        assertThat(result.emissions()).isEmpty();
        assertThat(result.currentRow()).containsEntry("city", "Daegu");
        assertThat(new KeyHistoryCodec().encode(timeline.state())).isEqualTo(before);
    }

    @Test
    void aRedeliveredPrunedChangeIsTooOldNotReapplied() {
        KeyTimeline timeline = movedThreeTimes();

        ApplyResult result =
                timeline.apply(user(1).updated().lsn(110).at("10:10:00").city("Busan"));

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.TOO_OLD);
    }

    @Test
    void placesALateChangeRightAfterThePrunedChanges() {
        UserChange late = user(1).updated().lsn(125).at("12:45:00").city("Ulsan");
        KeyTimeline unpruned = timeline(DeletesMode.INVALIDATE, Duration.ofDays(1))
                .applyAll(
                        user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(1).updated().lsn(110).at("10:10:00").city("Busan"),
                        user(1).updated().lsn(120).at("12:00:00").city("Incheon"),
                        late,
                        user(1).updated().lsn(130).at("13:30:00").city("Daegu"));
        KeyTimeline timeline = movedThreeTimes();

        ApplyResult result = timeline.apply(late);

        assertThat(result.outcome()).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(timeline.historyTopic()).isEqualTo(unpruned.historyTopic());
    }

    @Test
    void prunesAnInvalidatedKeyToItsLastChangeAndReopensIt() {
        KeyTimeline timeline = timeline(DeletesMode.INVALIDATE, ONE_HOUR)
                .applyAll(
                        user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(1).updated().lsn(110).at("10:30:00").city("Busan"),
                        user(1).deleted().lsn(120).at("11:00:00").keyOnlyImage(),
                        user(1).deleted().lsn(121).at("18:00:00").keyOnlyImage());

        assertThat(timeline.state().retainedChangeCount()).isEqualTo(1);
        assertThat(timeline.history().versions(timeline.state())).isEmpty();

        timeline.apply(user(1).inserted().lsn(130).at("19:00:00").city("Seoul"));

        assertThat(timeline.column("version")).containsExactly(1, 2, 3);
        assertThat(timeline.column("valid_to")).containsExactly(time("10:30:00"), time("11:00:00"), null);
    }
}
