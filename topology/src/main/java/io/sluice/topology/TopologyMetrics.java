package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.sluice.pii.MaskingAction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topology's meters, all under {@code sluice_*}. Tags carry names of sources, topics, tables,
 * actions and reasons: never a value from a record.
 */
public final class TopologyMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> pendingPartials = new ConcurrentHashMap<>();

    /** Meters registered in the given registry. */
    public TopologyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry, for exporters and summaries. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Records read from a source topic. */
    public Counter recordsIn(String source, String topic) {
        return Counter.builder("sluice.records.in")
                .description("Records read from source topics")
                .tags("source", source, "topic", topic)
                .register(registry);
    }

    /** Masked rows written to a curated topic. */
    public Counter recordsCurated(String source, String table) {
        return Counter.builder("sluice.records.curated")
                .description("Masked rows written to curated topics")
                .tags("source", source, "table", table)
                .register(registry);
    }

    /** Well-formed records that carry no row (tombstones, truncates, messages). */
    public Counter recordsSkipped(String source, String reason) {
        return Counter.builder("sluice.records.skipped")
                .description("Well-formed records without a row: tombstones, truncates, logical messages")
                .tags("source", source, "reason", reason)
                .register(registry);
    }

    /** Records sent to the dead-letter topic, by stage and reason. */
    public Counter deadLettered(String source, String stage, String reason) {
        return Counter.builder("sluice.dlq.records")
                .description("Records sent to the dead-letter topic by reference")
                .tags("source", source, "stage", stage, "reason", reason)
                .register(registry);
    }

    /** Column values masked by an action; {@code unlisted} tells whether a rule or the unlisted mode decided. */
    public Counter maskedColumns(String source, String table, MaskingAction action, boolean unlisted) {
        return Counter.builder("sluice.masking.columns")
                .description("Column values handled by the masking step")
                .tags(
                        "source",
                        source,
                        "table",
                        table,
                        "action",
                        action.configName(),
                        "by",
                        unlisted ? "unlisted" : "rule")
                .register(registry);
    }

    /** Personal data a detector found in a value that survived the rules; tagged by top-level column, never value. */
    public Counter piiDetections(String source, String table, String column, String detector) {
        return Counter.builder("sluice.pii.detections")
                .description("Detector hits in values that survived the masking rules")
                .tags("source", source, "table", table, "column", column, "detector", detector)
                .register(registry);
    }

    /** Fields dropped because their rule could not be applied (wrong type, unparsable nested JSON). */
    public Counter maskingFailures(String source, String table, String column, String reason) {
        return Counter.builder("sluice.masking.failures")
                .description("Fields dropped because their masking rule could not be applied")
                .tags("source", source, "table", table, "column", column, "reason", reason)
                .register(registry);
    }

    /**
     * Records whose event time was implausible ({@code problem}: {@code event-time-in-future}, {@code event-time-too-old}), by
     * what happened to them ({@code outcome}: {@code arrival-time} when curated with their arrival time, {@code dead-lettered}).
     */
    public Counter implausibleEventTimes(String source, String problem, String outcome) {
        return Counter.builder("sluice.event.time.implausible")
                .description("Records whose event time was implausible, re-timed or dead-lettered")
                .tags("source", source, "problem", problem, "outcome", outcome)
                .register(registry);
    }

    /** Identities forgotten because their horizon passed (in arrival time, behind every input's progress). */
    public Counter dedupIdentitiesExpired(String source) {
        return Counter.builder("sluice.dedup.identities.expired")
                .description("Dedup identities forgotten after the horizon, in arrival time")
                .tags("source", source)
                .register(registry);
    }

    /**
     * Records of a source deduplicated where they are read ({@code inputKey}) whose Kafka key is not that field's value:
     * their copies may sit in other partitions, where this one cannot see them.
     */
    public Counter dedupInputKeyMismatches(String source) {
        return Counter.builder("sluice.dedup.input.key.mismatches")
                .description(
                        "Records whose Kafka key is not the declared inputKey field's value: copies may escape dedup")
                .tags("source", source)
                .register(registry);
    }

    /**
     * Records of a source deduplicated by fields, by where they met their copies: {@code local} in the task that read
     * them, {@code repartition} after a trip through the dedup repartition topic (see {@link DedupRoute}).
     */
    public Counter dedupRoutes(String source, String path) {
        return Counter.builder("sluice.dedup.routes")
                .description("Records deduplicated where they were read (local) or sent to their identity's partition")
                .tags("source", source, "path", path)
                .register(registry);
    }

    /** Duplicates dropped within the duplicate horizon. */
    public Counter duplicatesDropped(String source) {
        return Counter.builder("sluice.duplicates.dropped")
                .description("Records dropped as duplicates within the dedup horizon")
                .tags("source", source)
                .register(registry);
    }

    /** Records too late for an aggregate's window (after its grace period); they still reach the curated topic. */
    public Counter lateRecordsDropped(String aggregate) {
        return Counter.builder("sluice.late.records.dropped")
                .description("Records later than a window's grace period, left out of the aggregate")
                .tags("aggregate", aggregate)
                .register(registry);
    }

    /** Window results emitted by an aggregate. */
    public Counter windowEmits(String aggregate) {
        return Counter.builder("sluice.window.emits")
                .description("Window results emitted")
                .tags("aggregate", aggregate)
                .register(registry);
    }

    /**
     * Partial aggregates combined but not yet sent to their group's partition (a gauge per aggregate, summed over this
     * process's tasks); each task adds to and takes from the holder this returns.
     */
    public AtomicLong pendingPartials(String aggregate) {
        return pendingPartials.computeIfAbsent(aggregate, name -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("sluice.aggregate.partials.pending", holder, AtomicLong::get)
                    .description("Partial aggregates waiting to be sent to their group's partition")
                    .tags("aggregate", name)
                    .register(registry);
            return holder;
        });
    }

    /** Partial aggregates waiting in this process, over every aggregate: zero once every combined row was sent. */
    public long pendingPartials() {
        return pendingPartials.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /**
     * What dimension history did with changes: {@code version_opened}, {@code version_closed},
     * {@code version_retracted}, {@code out_of_order_correction}, {@code duplicate_ignored}, {@code delete},
     * {@code too_old}, {@code rejected}.
     */
    public Counter dimensionEvents(String table, String event) {
        return Counter.builder("sluice.dimension.events")
                .description(
                        "SCD2 history: versions opened, closed and retracted, "
                                + "out-of-order corrections, duplicates ignored, deletes, changes too old for the retained history, rejected changes")
                .tags("table", table, "event", event)
                .register(registry);
    }

    /** The sum of a counter over all its tag values matching the given tags. */
    public double total(String name, String... tags) {
        return Search.in(registry).name(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
