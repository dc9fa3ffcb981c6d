package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HourRowMergeTest {
    private final LakeColumns columns = columns();

    @Test
    void mergesOverlappingRunsByEventTimeThenPartitionThenOffset() {
        List<Object[]> merged = HourRowMerge.sortedDistinct(
                List.of(run(0, row(30, 0, 3), row(10, 0, 1), row(20, 1, 7)), run(5, row(20, 0, 2), row(5, 2, 9))),
                new RowOrder(columns));

        assertThat(merged).extracting(this::describe).containsExactly("5@2/9", "10@0/1", "20@0/2", "20@1/7", "30@0/3");
    }

    @Test
    void dropsARecordWrittenTwiceEvenAcrossRunsButKeepsRowsWithoutCoordinates() {
        List<Object[]> merged = HourRowMerge.sortedDistinct(
                List.of(
                        run(10, row(10, 0, 1), row(11, 0, 2), uncoordinated(12)),
                        run(11, row(11, 0, 2), row(13, 0, 3), uncoordinated(12))),
                new RowOrder(columns));

        assertThat(merged).extracting(this::describe).containsExactly("10@0/1", "11@0/2", "12@-", "12@-", "13@0/3");
    }

    @Test
    void readsARunOnlyOnceTheMergeHasReachedItsEarliestEventTime() {
        List<TrackedRun> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(run(i * 100L, row(i * 100L, 0, i * 2L), row(i * 100L + 50, 0, i * 2L + 1)));
        }
        HourRowMerge<Object[]> merge = new HourRowMerge<>(runs, new RowOrder(columns), Function.identity());

        List<String> seen = new ArrayList<>();
        while (merge.hasNext()) {
            Object[] row = merge.next();
            seen.add(describe(row));
            long time = (Long) row[0];
            // a run is read when the next row could come from it, not before: no run beyond the one of the row handed
            // out
            assertThat(runs.stream().filter(r -> r.loaded).count())
                    .as("runs read after %s", describe(row))
                    .isEqualTo(time / 100 + 1);
        }
        assertThat(seen).hasSize(20).startsWith("0@0/0", "50@0/1", "100@0/2");
        assertThat(merge.emitted()).isEqualTo(20);
    }

    @Test
    void hasRowsPreparedAsTheCallerAsks() {
        HourRowMerge<String> merge =
                new HourRowMerge<>(List.of(run(1, row(2, 0, 1), row(1, 0, 0))), new RowOrder(columns), this::describe);

        assertThat(merge).toIterable().containsExactly("1@0/0", "2@0/1");
    }

    @Test
    void aRunThatCannotBeReadFailsTheMergeNamingWhy() {
        HourRowMerge.Run unreadable = new HourRowMerge.Run() {
            @Override
            public long earliestEventTime() {
                return 0;
            }

            @Override
            public List<Object[]> rows() throws IOException {
                throw new IOException("object o.avro is not a readable tier-0 Avro object");
            }
        };
        HourRowMerge<Object[]> merge =
                new HourRowMerge<>(List.of(unreadable), new RowOrder(columns), Function.identity());

        assertThatThrownBy(merge::hasNext)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("o.avro");
    }

    private static LakeColumns columns() {
        LakeColumns columns = new LakeColumns();
        columns.number("__event_time");
        columns.number("__kafka_partition");
        columns.number("__kafka_offset");
        return columns;
    }

    private static Object[] row(long eventTime, long partition, long offset) {
        return new Object[] {eventTime, partition, offset};
    }

    private static Object[] uncoordinated(long eventTime) {
        return new Object[] {eventTime, null, null};
    }

    private String describe(Object[] row) {
        return row[0] + "@" + (row[1] == null ? "-" : row[1] + "/" + row[2]);
    }

    private static TrackedRun run(long earliestEventTime, Object[]... rows) {
        return new TrackedRun(earliestEventTime, List.of(rows));
    }

    /** A run that remembers whether it was read. */
    private static final class TrackedRun implements HourRowMerge.Run {
        private final long earliest;
        private final List<Object[]> rows;
        private boolean loaded;

        TrackedRun(long earliest, List<Object[]> rows) {
            this.earliest = earliest;
            this.rows = rows;
        }

        @Override
        public long earliestEventTime() {
            return earliest;
        }

        @Override
        public List<Object[]> rows() {
            loaded = true;
            return new ArrayList<>(rows);
        }
    }
}
