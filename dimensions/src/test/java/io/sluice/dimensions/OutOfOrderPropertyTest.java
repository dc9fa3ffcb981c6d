package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.time;
import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whatever order one key's changes arrive in — shuffled, with redeliveries — the history published
 * ends equal to processing the same changes in source order.
 */
class OutOfOrderPropertyTest {
    private static final int SCENARIOS = 150;
    private static final Duration FOREVER = Duration.ofDays(10_000);
    private static final String[] CITIES = {"Seoul", "Busan", "Incheon"};

    @ParameterizedTest
    @EnumSource(DeletesMode.class)
    void shuffledArrivalGivesTheInOrderHistory(DeletesMode mode) {
        for (int seed = 0; seed < SCENARIOS; seed++) {
            Random random = new Random(seed * 31L + mode.ordinal());
            DimensionSpec spec = spec(mode, seed, FOREVER);
            List<DimensionChange> changes = randomHistory(random, 1 + random.nextInt(25));
            KeyTimeline inOrder = new KeyTimeline(spec);
            changes.forEach(inOrder::apply);

            KeyTimeline shuffled = new KeyTimeline(spec);
            for (DimensionChange change : arrival(random, changes)) {
                shuffled.apply(change);
                assertThat(shuffled.historyTopic())
                        .as("seed %d: the history topic equals the state's versions", seed)
                        .isEqualTo(byScdId(shuffled.history().versionRows(shuffled.state()), spec));
            }

            assertThat(shuffled.historyTopic()).as("seed %d", seed).isEqualTo(inOrder.historyTopic());
            assertThat(shuffled.last().currentRow())
                    .as("seed %d", seed)
                    .isEqualTo(inOrder.last().currentRow());
            assertWellFormed(inOrder.rows(), spec, seed);
        }
    }

    @ParameterizedTest
    @EnumSource(DeletesMode.class)
    void shuffledArrivalWithShortRetentionGivesTheInOrderHistoryOfTheChangesItAccepted(DeletesMode mode) {
        int tooOld = 0;
        for (int seed = 0; seed < SCENARIOS; seed++) {
            Random random = new Random(seed * 17L + mode.ordinal());
            List<DimensionChange> changes = randomHistory(random, 1 + random.nextInt(25));
            KeyTimeline shuffled = new KeyTimeline(spec(mode, seed, Duration.ofSeconds(8)));
            List<DimensionChange> accepted = new ArrayList<>();
            for (DimensionChange change : arrival(random, changes)) {
                ApplyOutcome outcome = shuffled.apply(change).outcome();
                if (outcome == ApplyOutcome.APPLIED) {
                    accepted.add(change);
                }
                tooOld += outcome == ApplyOutcome.TOO_OLD ? 1 : 0;
            }
            accepted.sort(Comparator.comparing(DimensionChange::sequence));
            KeyTimeline inOrder = new KeyTimeline(spec(mode, seed, FOREVER));
            accepted.forEach(inOrder::apply);

            assertThat(shuffled.historyTopic()).as("seed %d", seed).isEqualTo(inOrder.historyTopic());
        }
        assertThat(tooOld)
                .as("the retention is short enough to reject some changes")
                .isPositive();
    }

    private static DimensionSpec spec(DeletesMode mode, int seed, Duration retention) {
        DimensionSpec.Builder builder = DimensionSpec.builder("users", "id")
                .deletes(mode)
                .retention(retention)
                .naming(seed % 2 == 0 ? ColumnNaming.SLUICE : ColumnNaming.DBT);
        return switch (seed % 3) {
            case 0 -> builder.track("city", "tier").build();
            case 1 -> builder.trackExcept("visits").build();
            default -> builder.build();
        };
    }

    /**
     * One key's changes in source order: inserts, snapshot reads, updates of tracked and untracked
     * columns, deletes (also of an absent key), several in one millisecond, and now and then a
     * commit clock that steps back.
     */
    private static List<DimensionChange> randomHistory(Random random, int size) {
        List<DimensionChange> changes = new ArrayList<>();
        long lsn = 100;
        long at = time("10:00:00");
        boolean live = false;
        for (int i = 0; i < size; i++) {
            lsn += 1 + random.nextInt(3);
            int step = random.nextInt(10);
            at += step < 3 ? 0 : step < 9 ? random.nextInt(3_000) : -random.nextInt(1_000);
            UserChange change = user(1L).lsn(lsn).atMs(at);
            int pick = random.nextInt(10);
            if (pick < 2 && (live || pick == 0)) {
                change.deleted().keyOnlyImage();
            } else {
                change.op(
                                live
                                        ? (pick < 8 ? ChangeOp.UPDATE : ChangeOp.READ)
                                        : (pick < 6 ? ChangeOp.CREATE : ChangeOp.READ))
                        .city(random.nextInt(8) == 0 ? null : CITIES[random.nextInt(CITIES.length)])
                        .tier(random.nextBoolean() ? "gold" : "silver")
                        .visits(random.nextInt(3));
            }
            live = change.build().op().upserts();
            changes.add(change.build());
        }
        return changes;
    }

    /** The changes shuffled, with about one in six delivered twice. */
    private static List<DimensionChange> arrival(Random random, List<DimensionChange> changes) {
        List<DimensionChange> arrival = new ArrayList<>(changes);
        for (DimensionChange change : changes) {
            if (random.nextInt(6) == 0) {
                arrival.add(change);
            }
        }
        Collections.shuffle(arrival, random);
        return arrival;
    }

    private static Map<String, Map<String, Object>> byScdId(List<Map<String, Object>> rows, DimensionSpec spec) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put((String) row.get(spec.naming().scdId()), row));
        return byId;
    }

    /** Versions numbered 1..n, never overlapping, at most the last one current. */
    private static void assertWellFormed(List<Map<String, Object>> rows, DimensionSpec spec, int seed) {
        ColumnNaming names = spec.naming();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            assertThat(row.get(names.version())).as("seed %d", seed).isEqualTo(i + 1);
            assertThat(row.get(names.isCurrent())).as("seed %d", seed).isEqualTo(row.get(names.validTo()) == null);
            if (i + 1 < rows.size()) {
                assertThat((Long) row.get(names.validTo()))
                        .as("seed %d", seed)
                        .isNotNull()
                        .isLessThanOrEqualTo((Long) rows.get(i + 1).get(names.validFrom()));
            }
        }
    }
}
