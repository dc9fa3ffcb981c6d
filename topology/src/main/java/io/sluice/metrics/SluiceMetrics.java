package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.sluice.pii.MaskingAction;

/**
 * Sluice's own meters, all under {@code sluice_*}. Tags carry names of sources, topics, tables,
 * actions and reasons: never a value from a record.
 */
public final class SluiceMetrics {
    private final MeterRegistry registry;

    /** Meters registered in the given registry. */
    public SluiceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry, for exporters and summaries. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Records read from a source topic. */
    public Counter recordsIn(String source, String topic) {
        return Counter.builder("sluice.records.in").description("Records read from source topics")
                .tags("source", source, "topic", topic).register(registry);
    }

    /** Masked rows written to a curated topic. */
    public Counter recordsCurated(String source, String table) {
        return Counter.builder("sluice.records.curated").description("Masked rows written to curated topics")
                .tags("source", source, "table", table).register(registry);
    }

    /** Well-formed records that carry no row (tombstones, truncates, messages). */
    public Counter recordsSkipped(String source, String reason) {
        return Counter.builder("sluice.records.skipped").description("Well-formed records without a row: tombstones, truncates, logical messages")
                .tags("source", source, "reason", reason).register(registry);
    }

    /** Records sent to the dead-letter topic, by stage and reason. */
    public Counter deadLettered(String source, String stage, String reason) {
        return Counter.builder("sluice.dlq.records").description("Records sent to the dead-letter topic by reference")
                .tags("source", source, "stage", stage, "reason", reason).register(registry);
    }

    /** Column values masked by an action; {@code unlisted} tells whether a rule or the unlisted mode decided. */
    public Counter maskedColumns(String source, String table, MaskingAction action, boolean unlisted) {
        return Counter.builder("sluice.masking.columns").description("Column values handled by the masking step")
                .tags("source", source, "table", table, "action", action.configName(), "by", unlisted ? "unlisted" : "rule")
                .register(registry);
    }

    /** Personal data a detector found in a value that survived the rules; tagged by top-level column, never value. */
    public Counter piiDetections(String source, String table, String column, String detector) {
        return Counter.builder("sluice.pii.detections").description("Detector hits in values that survived the masking rules")
                .tags("source", source, "table", table, "column", column, "detector", detector).register(registry);
    }

    /** Fields dropped because their rule could not be applied (wrong type, unparsable nested JSON). */
    public Counter maskingFailures(String source, String table, String column, String reason) {
        return Counter.builder("sluice.masking.failures").description("Fields dropped because their masking rule could not be applied")
                .tags("source", source, "table", table, "column", column, "reason", reason).register(registry);
    }

    /**
     * Records whose event time was implausible ({@code problem}: {@code event-time-in-future}, {@code event-time-too-old}), by
     * what happened to them ({@code outcome}: {@code arrival-time} when curated with their arrival time, {@code dead-lettered}).
     */
    public Counter implausibleEventTimes(String source, String problem, String outcome) {
        return Counter.builder("sluice.event.time.implausible").description("Records whose event time was implausible, re-timed or dead-lettered")
                .tags("source", source, "problem", problem, "outcome", outcome).register(registry);
    }

    /** Identities forgotten because their horizon passed (in arrival time, behind every input's progress). */
    public Counter dedupIdentitiesExpired(String source) {
        return Counter.builder("sluice.dedup.identities.expired").description("Dedup identities forgotten after the horizon, in arrival time")
                .tags("source", source).register(registry);
    }

    /** Duplicates dropped within the duplicate horizon. */
    public Counter duplicatesDropped(String source) {
        return Counter.builder("sluice.duplicates.dropped").description("Records dropped as duplicates within the dedup horizon")
                .tags("source", source).register(registry);
    }

    /** Records too late for an aggregate's window (after its grace period); they still reach the curated topic. */
    public Counter lateRecordsDropped(String aggregate) {
        return Counter.builder("sluice.late.records.dropped").description("Records later than a window's grace period, left out of the aggregate")
                .tags("aggregate", aggregate).register(registry);
    }

    /** Window results emitted by an aggregate. */
    public Counter windowEmits(String aggregate) {
        return Counter.builder("sluice.window.emits").description("Window results emitted")
                .tags("aggregate", aggregate).register(registry);
    }

    /**
     * What dimension history did with changes: {@code version_opened}, {@code version_closed},
     * {@code version_retracted}, {@code out_of_order_correction}, {@code duplicate_ignored}, {@code delete},
     * {@code too_old}, {@code rejected}.
     */
    public Counter dimensionEvents(String table, String event) {
        return Counter.builder("sluice.dimension.events").description("SCD2 history: versions opened, closed and retracted, "
                        + "out-of-order corrections, duplicates ignored, deletes, changes too old for the retained history, rejected changes")
                .tags("table", table, "event", event).register(registry);
    }

    /** Tier-0 objects written to the lake. */
    public Counter lakeObjects(String table) {
        return Counter.builder("sluice.lake.objects").description("Tier-0 objects written to the lake")
                .tags("table", table).register(registry);
    }

    /** Rows written to tier-0 objects. */
    public Counter lakeRows(String table) {
        return Counter.builder("sluice.lake.rows").description("Rows written to tier-0 objects")
                .tags("table", table).register(registry);
    }

    /** Bytes written to tier-0 objects. */
    public Counter lakeBytes(String table) {
        return Counter.builder("sluice.lake.bytes").description("Bytes written to tier-0 objects")
                .baseUnit("bytes").tags("table", table).register(registry);
    }

    /** Records what one compaction pass did. */
    public void compaction(io.sluice.sinks.CompactionReport report, boolean failed) {
        String outcome = failed || (report != null && !report.failedHours().isEmpty()) ? "failure"
                : report != null && report.skippedForLease() ? "lease-held" : "success";
        Counter.builder("sluice.compaction.runs").description("Compaction passes (outcome: success, failure, lease-held)")
                .tags("outcome", outcome).register(registry).increment();
        if (report == null) {
            return;
        }
        io.micrometer.core.instrument.Timer.builder("sluice.compaction.lease.wait").description("Time compaction passes waited for the lake's compaction lease")
                .register(registry).record(report.leaseWait());
        if (report.skippedForLease()) {
            Counter.builder("sluice.compaction.lease.held").description("Compaction passes that did nothing because another pass held the lake's lease")
                    .register(registry).increment();
            return;
        }
        io.micrometer.core.instrument.Timer.builder("sluice.compaction.duration").description("Duration of compaction passes")
                .register(registry).record(report.took());
        for (io.sluice.sinks.CompactionReport.FailedHour hour : report.failedHours()) {
            Counter.builder("sluice.compaction.failed.hours").description("Table-hours whose compaction failed (retried by the next pass)")
                    .tags("table", hour.table()).register(registry).increment();
        }
        for (io.sluice.sinks.CompactionReport.HourResult hour : report.hours()) {
            Counter.builder("sluice.compaction.hours").description("Table-hours compacted")
                    .tags("table", hour.table()).register(registry).increment();
            Counter.builder("sluice.compaction.files").description("Parquet files written by compaction")
                    .tags("table", hour.table()).register(registry).increment(hour.filesWritten());
            if (hour.newRows() < hour.rows() && hour.newRows() > 0) {
                Counter.builder("sluice.compaction.late.merges").description("Passes that added late rows to an already compacted hour (as one new file)")
                        .tags("table", hour.table()).register(registry).increment();
            }
        }
    }

    /**
     * Binds Kafka Streams' own metrics and Sluice's view of it: whether it is RUNNING, and how
     * much state is still to restore.
     */
    public void bindStreams(org.apache.kafka.streams.KafkaStreams streams, io.sluice.ops.RestoreProgress restore) {
        new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams).bindTo(registry);
        io.micrometer.core.instrument.Gauge.builder("sluice.streams.running", streams,
                        s -> s.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING, 0 while starting, rebalancing, restoring or failed")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("sluice.restore.remaining", restore, io.sluice.ops.RestoreProgress::remainingRecords)
                .description("Changelog records still to restore").baseUnit("records").register(registry);
    }

    /** A Prometheus registry with the JVM and process meters every operator expects. */
    public static io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheusWithJvm() {
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** The sum of a counter over all its tag values matching the given tags. */
    public double total(String name, String... tags) {
        return Search.in(registry).name(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
