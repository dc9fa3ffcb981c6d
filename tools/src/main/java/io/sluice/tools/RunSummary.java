package io.sluice.tools;

import io.sluice.metrics.SluiceMetrics;
import io.sluice.replay.EmbeddedRun;
import io.sluice.sinks.CompactionReport;
import java.util.Locale;
import java.util.Map;

/** The human-readable account of an embedded run: what came in, what was masked, written and compacted. */
final class RunSummary {
    private final EmbeddedRun.Result result;

    RunSummary(EmbeddedRun.Result result) {
        this.result = result;
    }

    String replay() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Processed %,d input records in %.1f s on an embedded Kafka broker.%n%n",
                result.inputRecords(),
                result.took().toMillis() / 1000.0));
        topics(sb);
        masking(sb);
        dedupAndAggregates(sb);
        lake(sb);
        return sb.toString();
    }

    void topics(StringBuilder sb) {
        sb.append("Topics written (records):\n");
        for (Map.Entry<String, Long> topic : result.dumped().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-28s %,8d%n", topic.getKey(), topic.getValue()));
        }
        SluiceMetrics m = result.metrics();
        whenAny(
                sb,
                m.total("sluice.records.skipped"),
                "  (%,d well-formed records carried no row: tombstones, truncates, messages)%n");
        whenAny(
                sb,
                m.total("sluice.dlq.records"),
                "  %,d record(s) went to the dead-letter topic by reference "
                        + "(topic, partition, offset, stage, reason), never by content: %s%n",
                countsBy(m, "sluice.dlq.records", "reason"));
        whenAny(
                sb,
                m.total("sluice.event.time.implausible", "outcome", "arrival-time"),
                "  %,d record(s) claimed an implausible event "
                        + "time (a clock far ahead, or before the source's earliest): curated with their arrival time in __event_time, the "
                        + "claimed time in __event_time_original%n");
        if (!result.schemaVersions().isEmpty()) {
            StringBuilder versions = new StringBuilder();
            result.schemaVersions()
                    .forEach((topic, version) -> versions.append(versions.isEmpty() ? "" : ", ")
                            .append(topic)
                            .append("-value v")
                            .append(version));
            sb.append(String.format(
                    Locale.ROOT,
                    "  Curated and aggregate topics are Avro (Confluent wire format), schemas derived from the "
                            + "masked rows and registered: %s%n",
                    versions));
        }
        sb.append('\n');
    }

    void masking(StringBuilder sb) {
        SluiceMetrics m = result.metrics();
        sb.append(String.format(
                Locale.ROOT,
                "Masked at the gate: %,d values pseudonymised (HMAC-SHA256), %,d masked, generalized, "
                        + "truncated or redacted, %,d dropped by rule, %,d dropped for having no rule; %,d kept by rule.%n",
                (long) m.total("sluice.masking.columns", "action", "hash"),
                (long) (m.total("sluice.masking.columns", "action", "mask")
                        + m.total("sluice.masking.columns", "action", "generalize")
                        + m.total("sluice.masking.columns", "action", "truncate")
                        + m.total("sluice.masking.columns", "action", "redact")),
                (long) m.total("sluice.masking.columns", "action", "drop", "by", "rule"),
                (long) m.total("sluice.masking.columns", "action", "drop", "by", "unlisted"),
                (long) m.total("sluice.masking.columns", "action", "keep", "by", "rule")));
        long detections = (long) m.total("sluice.pii.detections");
        if (detections > 0) {
            StringBuilder by = new StringBuilder();
            for (io.sluice.pii.Detector d : io.sluice.pii.Detector.values()) {
                long n = (long) m.total("sluice.pii.detections", "detector", d.configName());
                if (n > 0) {
                    by.append(by.length() == 0 ? "" : ", ")
                            .append(n)
                            .append(' ')
                            .append(d.configName());
                }
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "Detectors caught %,d piece(s) of personal data in kept text (%s) and masked them.%n",
                    detections,
                    by));
        }
        whenAny(
                sb,
                m.total("sluice.masking.failures"),
                "%,d field(s) were dropped: their rule could not be applied, or their name "
                        + "was personal data (%s).%n",
                countsBy(m, "sluice.masking.failures", "reason"));
        sb.append('\n');
    }

    void dedupAndAggregates(StringBuilder sb) {
        SluiceMetrics m = result.metrics();
        whenAny(
                sb,
                m.total("sluice.duplicates.dropped"),
                "Deduplicated: %,d duplicate(s) dropped within their horizon.%n");
        double local = m.total("sluice.dedup.routes", "path", "local");
        whenAny(
                sb,
                local + m.total("sluice.dedup.routes", "path", "repartition"),
                "  Of %,d event(s) deduplicated by fields, %,d were read in their identity's partition and deduplicated "
                        + "there; the rest crossed the dedup repartition topic first.%n",
                (long) local);
        whenAny(
                sb,
                m.total("sluice.dedup.input.key.mismatches"),
                "  %,d record(s) of a source deduplicated where it is read (dedup inputKey) were not keyed by "
                        + "that field: their copies could escape deduplication.%n");
        whenAny(
                sb,
                m.total("sluice.window.emits"),
                "Aggregated: %,d window result(s) written to agg.<name>; %,d record(s) arrived "
                        + "after their window's grace period and were left out of it (they are in the curated topic and the lake).%n",
                (long) m.total("sluice.late.records.dropped"));
        whenAny(
                sb,
                m.total("sluice.dimension.events", "event", "version_opened"),
                "Versioned: %,d SCD2 version(s) opened and %,d "
                        + "closed in dim.<table>.history (%,d out-of-order correction(s), %,d re-delivered change(s) ignored, %,d delete(s)); "
                        + "the current rows are in dim.<table>.current.%n",
                (long) m.total("sluice.dimension.events", "event", "version_closed"),
                (long) m.total("sluice.dimension.events", "event", "out_of_order_correction"),
                (long) m.total("sluice.dimension.events", "event", "duplicate_ignored"),
                (long) m.total("sluice.dimension.events", "event", "delete"));
        sb.append('\n');
    }

    /** "3 malformed-json, 1 number-out-of-range": a counter's totals by one tag, largest first. */
    private static String countsBy(SluiceMetrics m, String name, String tag) {
        Map<String, Double> by = new java.util.TreeMap<>();
        m.registry().find(name).counters().forEach(c -> by.merge(c.getId().getTag(tag), c.count(), Double::sum));
        return by.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue().longValue(), e.getKey()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Appends a line about a count, only when there is something to say. */
    private static void whenAny(StringBuilder sb, double count, String format, Object... more) {
        if (count > 0) {
            Object[] args = new Object[more.length + 1];
            args[0] = (long) count;
            System.arraycopy(more, 0, args, 1, more.length);
            sb.append(String.format(Locale.ROOT, format, args));
        }
    }

    void lake(StringBuilder sb) {
        CompactionReport report = result.compaction();
        long rows = report.hours().stream()
                .mapToLong(CompactionReport.HourResult::rows)
                .sum();
        long files = report.hours().stream()
                .mapToLong(CompactionReport.HourResult::files)
                .sum();
        sb.append(String.format(
                Locale.ROOT, "Lake: %s%n", displayPath(result.lake().root())));
        sb.append(String.format(
                Locale.ROOT,
                "Compacted %,d rows into %,d Snappy Parquet file(s) under curated/<table>/year=/month=/day=/hour=:%n",
                rows,
                files));
        for (CompactionReport.HourResult h : report.hours()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-14s %s  %d file(s) %,7d rows%n",
                    h.table(),
                    h.hour().partitionPath(),
                    h.files(),
                    h.rows()));
        }
        sb.append('\n');
    }

    /** A local lake as a plain path, anything else as its URI. */
    static String displayPath(org.apache.hadoop.fs.Path root) {
        java.net.URI uri = root.toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : uri.toString();
    }
}
