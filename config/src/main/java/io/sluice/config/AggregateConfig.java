package io.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * One {@code aggregates:} entry: event-time windowed measures over a source's curated (masked,
 * deduplicated) rows.
 *
 * @param name      the aggregate's name: output topic {@code agg.<name>}, lake table {@code agg_<name>}
 * @param source    the source whose rows are aggregated
 * @param size      window size
 * @param advance   window advance: equal to the size for tumbling windows, smaller for hopping ones
 * @param grace     how long after a window ends its late records are still counted
 * @param groupBy   the fields grouped by
 * @param measures  what is computed per group and window
 * @param emitEarly emit a running result on every update, not only the final one when the window closes
 * @param preAggregate how long a task combines its rows per group and window before the partial result travels to
 *     the group's partition; zero sends every row there
 */
public record AggregateConfig(
        String name,
        String source,
        Duration size,
        Duration advance,
        Duration grace,
        List<String> groupBy,
        List<Measure> measures,
        boolean emitEarly,
        Duration preAggregate) {

    /** The default {@code preAggregate}: Kafka Streams' commit interval under exactly-once. */
    public static final Duration DEFAULT_PRE_AGGREGATE = Duration.ofMillis(100);

    public AggregateConfig {
        groupBy = List.copyOf(groupBy);
        measures = List.copyOf(measures);
    }

    /** What a measure computes. */
    public enum Kind {
        COUNT,
        SUM,
        MIN,
        MAX,
        DISTINCT
    }

    /**
     * One measure.
     *
     * @param kind  what it computes
     * @param field the field it reads, or null for {@code count}
     */
    public record Measure(Kind kind, String field) {
        /** The output column: {@code count}, {@code sum_<field>}, {@code distinct_<field>}, ... */
        public String column() {
            return field == null ? "count" : kind.name().toLowerCase(java.util.Locale.ROOT) + "_" + field;
        }
    }
}
