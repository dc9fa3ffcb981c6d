package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.time;
import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AsOfLookupTest {
    private static Optional<String> cityAsOf(KeyTimeline timeline, String timeOfDay) {
        return timeline.history().asOf(timeline.state(), time(timeOfDay)).map(v ->
                (String) v.attributes().get("city"));
    }

    private static KeyTimeline movedTwiceThenDeleted(DeletesMode mode) {
        return new KeyTimeline(DimensionSpec.builder("users", "id")
                        .track("city")
                        .deletes(mode)
                        .build())
                .applyAll(
                        user(1).inserted().lsn(100).at("10:00:00").city("Seoul"),
                        user(1).updated().lsn(110).at("11:00:00").city("Busan"),
                        user(1).updated().lsn(120).at("12:00:00").city("Incheon"),
                        user(1).deleted().lsn(130).at("13:00:00").keyOnlyImage());
    }

    @Test
    void findsNothingBeforeTheFirstVersion() {
        assertThat(cityAsOf(movedTwiceThenDeleted(DeletesMode.INVALIDATE), "09:59:59.999"))
                .isEmpty();
    }

    @Test
    void findsTheVersionValidInsideEachInterval() {
        KeyTimeline timeline = movedTwiceThenDeleted(DeletesMode.INVALIDATE);

        assertThat(cityAsOf(timeline, "10:30:00")).contains("Seoul");
        assertThat(cityAsOf(timeline, "11:30:00")).contains("Busan");
        assertThat(cityAsOf(timeline, "12:59:59.999")).contains("Incheon");
    }

    @Test
    void aBoundaryInstantBelongsToTheNewVersion() {
        KeyTimeline timeline = movedTwiceThenDeleted(DeletesMode.INVALIDATE);

        assertThat(cityAsOf(timeline, "10:00:00")).contains("Seoul");
        assertThat(cityAsOf(timeline, "11:00:00")).contains("Busan");
        assertThat(cityAsOf(timeline, "10:59:59.999")).contains("Seoul");
        assertThat(timeline.history()
                        .asOf(timeline.state(), time("12:00:00"))
                        .orElseThrow()
                        .number())
                .isEqualTo(3);
    }

    @Test
    void findsNothingAfterAnInvalidatingDelete() {
        KeyTimeline timeline = movedTwiceThenDeleted(DeletesMode.INVALIDATE);

        assertThat(cityAsOf(timeline, "13:00:00")).isEmpty();
        assertThat(cityAsOf(timeline, "23:00:00")).isEmpty();
    }

    @Test
    void findsNothingInsideADeletedVersionAndTheReinsertedVersionAfterIt() {
        KeyTimeline timeline = movedTwiceThenDeleted(DeletesMode.NEW_RECORD);
        assertThat(cityAsOf(timeline, "13:30:00")).isEmpty();

        timeline.apply(user(1).inserted().lsn(140).at("14:00:00").city("Daegu"));

        assertThat(cityAsOf(timeline, "13:59:59.999")).isEmpty();
        assertThat(cityAsOf(timeline, "14:00:00")).contains("Daegu");
        assertThat(cityAsOf(timeline, "23:59:59")).contains("Daegu");
    }
}
