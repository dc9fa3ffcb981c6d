package io.sluice.topology;

import io.micrometer.core.instrument.Counter;
import io.sluice.config.EventTimeBounds;
import io.sluice.config.SourceConfig;
import io.sluice.pii.ColumnRef;
import io.sluice.pii.Detector;
import io.sluice.pii.MaskingAction;
import io.sluice.pii.MaskingObserver;
import io.sluice.pii.MaskingPolicy;
import io.sluice.schemas.CuratedEncodingException;
import io.sluice.schemas.CuratedFields;
import io.sluice.schemas.DeadLetter;
import io.sluice.serdes.CuratedRecordCodec;
import io.sluice.serdes.DeadLetterCodec;
import io.sluice.serdes.DecodeException;
import io.sluice.serdes.DecodeOutcome;
import io.sluice.serdes.DecodedRecord;
import io.sluice.serdes.avro.CuratedAvroWriter;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate: decodes one source topic's records, masks them, and forwards curated rows to the
 * curated sink or, for records that cannot be decoded (and so cannot be masked), a dead-letter
 * entry by reference to the dead-letter sink. A schema registry that is down is not the record's
 * fault: it fails the task, never dead-letters the record. Stateless, so no raw value ever reaches a
 * store, changelog or repartition topic.
 */
public final class CurateProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(CurateProcessorSupplier.class);

    private final String source;
    private final String topic;
    private final SourceDecoder decoder;
    private final MaskingPolicy policy;
    private final TopologyMetrics metrics;
    private final List<String> curatedChildren;
    private final String deadLetterSink;
    private final DedupIdentity identity;
    private final DedupRoute route;
    private final SchemaRegistry registry;
    private final String curatedTopic;
    private final String recordName;
    private final String recordDoc;
    private final EventTimeGuard eventTimes;
    private final long maxRecordBytes;

    /**
     * @param source         the source
     * @param topic          the topic this processor reads
     * @param decoder        decodes the topic's records
     * @param policy         the masking policy
     * @param metrics        where to count
     * @param curatedChildren names of the nodes curated rows go to (the curated sink or the dedup step, and
     *                       aggregates); with a route, the dedup step and the sink into its repartition topic, of
     *                       which each row goes to one
     * @param deadLetterSink name of the sink node for dead-letter entries
     * @param identity       how to identify a row for deduplication, or null when the source is not deduplicated
     * @param route          where rows deduplicated by fields meet their copies, or null when no repartition topic
     *                       is involved
     * @param registry       where curated schemas are registered
     */
    public CurateProcessorSupplier(
            SourceConfig source,
            String topic,
            SourceDecoder decoder,
            MaskingPolicy policy,
            TopologyMetrics metrics,
            List<String> curatedChildren,
            String deadLetterSink,
            DedupIdentity identity,
            DedupRoute route,
            SchemaRegistry registry) {
        this(
                source.name(),
                topic,
                decoder,
                policy,
                metrics,
                curatedChildren,
                deadLetterSink,
                identity,
                route,
                registry,
                source.tableOf(topic),
                source.eventTimeBounds(),
                source.maxRecordBytes());
    }

    /**
     * @param table          the table the topic feeds, for the curated topic and record names
     * @param eventTimeBounds how far the source's event times are trusted
     * @param maxRecordBytes the largest record decoded
     */
    CurateProcessorSupplier(
            String source,
            String topic,
            SourceDecoder decoder,
            MaskingPolicy policy,
            TopologyMetrics metrics,
            List<String> curatedChildren,
            String deadLetterSink,
            DedupIdentity identity,
            DedupRoute route,
            SchemaRegistry registry,
            String table,
            EventTimeBounds eventTimeBounds,
            long maxRecordBytes) {
        this.eventTimes = new EventTimeGuard(eventTimeBounds);
        this.maxRecordBytes = maxRecordBytes;
        this.source = Objects.requireNonNull(source, "source");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.curatedChildren = List.copyOf(curatedChildren);
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        this.identity = identity;
        this.route = route;
        if (route != null && this.curatedChildren.size() != 2) {
            throw new IllegalArgumentException("a routed row goes to the dedup step or to the repartition sink");
        }
        this.registry = Objects.requireNonNull(registry, "registry");
        this.curatedTopic = TopologyNames.curated(source, table);
        this.recordName = TopologyNames.curatedRecordName(source, table);
        this.recordDoc = "Curated rows of " + source + "." + table
                + ": masked by Sluice's policy, with Sluice's metadata columns first.";
    }

    @Override
    public Processor<byte[], byte[], byte[], byte[]> get() {
        return new CurateProcessor();
    }

    private final class CurateProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private Counter recordsIn;
        private final Map<String, Counter> curated = new HashMap<>();
        private final Map<String, Counter> skipped = new HashMap<>();
        private final Map<String, Counter> deadLettered = new HashMap<>();
        private final Map<String, Counter> masked = new HashMap<>();
        private final Map<String, MaskingObserver> observers = new HashMap<>();
        private CuratedAvroWriter writer;
        private final Map<String, Counter> implausibleTimes = new HashMap<>();
        // Which input this task reads, for the dedup step's low watermark (one curate task per source partition).
        private String origin;
        private Counter keyMismatches;
        private Counter dedupLocal;
        private Counter dedupRouted;
        private boolean keyMismatchLogged;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.recordsIn = metrics.recordsIn(source, topic);
            this.writer = new CuratedAvroWriter(registry);
            this.origin = context.taskId().toString();
            this.keyMismatches = identity == null ? null : metrics.dedupInputKeyMismatches(source);
            if (route != null) {
                this.dedupLocal = metrics.dedupRoutes(source, "local");
                this.dedupRouted = metrics.dedupRoutes(source, "repartition");
            }
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            recordsIn.increment();
            long size = (record.key() == null ? 0 : record.key().length)
                    + (record.value() == null ? 0 : record.value().length);
            if (size > maxRecordBytes) {
                deadLetter(
                        record,
                        "decode",
                        "record-too-large",
                        "RecordTooLarge",
                        "record is " + size + " bytes, over the source's maxRecordSize of " + maxRecordBytes
                                + " bytes");
                return;
            }
            DecodeOutcome outcome;
            try {
                outcome = decoder.decode(record.key(), record.value());
            } catch (DecodeException e) {
                deadLetter(record, "decode", e.reason(), e.getClass().getSimpleName(), e.getMessage());
                return;
            } catch (SchemaRegistryException e) {
                // Retriable: the registry is down, not the record at fault (rethrown, to fail the task). Anything else
                // is a defect.
                rethrowIfTransient(e);
                internalError(record, "decode", e);
                return;
            } catch (RuntimeException | StackOverflowError e) {
                internalError(record, "decode", e);
                return;
            }
            if (outcome instanceof DecodeOutcome.Skipped skip) {
                skipped.computeIfAbsent(skip.reason(), r -> metrics.recordsSkipped(source, r))
                        .increment();
                return;
            }
            DecodedRecord decoded = (DecodedRecord) outcome;
            EventTimeGuard.Verdict time =
                    eventTimes.judge(decoded.eventTimeMs(), record.timestamp(), context.currentSystemTimeMs());
            if (time.problem() != null) {
                implausibleTimes
                        .computeIfAbsent(
                                time.problem() + (time.rejected() ? "\0dlq" : ""),
                                k -> metrics.implausibleEventTimes(
                                        source, time.problem(), time.rejected() ? "dead-lettered" : "arrival-time"))
                        .increment();
                if (time.rejected()) {
                    deadLetter(
                            record,
                            "event-time",
                            time.problem(),
                            "ImplausibleEventTime",
                            eventTimes.explain(time.problem()));
                    return;
                }
            }
            try {
                curate(record, decoded, time);
            } catch (CuratedEncodingException e) {
                deadLetter(record, "encode", e.reason(), e.getClass().getSimpleName(), e.getMessage());
            } catch (SchemaRegistryException e) {
                rethrowIfTransient(e);
                deadLetter(record, "encode", "registry-rejected", e.getClass().getSimpleName(), e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                // Masking and encoding are written not to fail; if they do, the record goes nowhere but the DLQ.
                internalError(record, "mask", e);
            }
        }

        /**
         * A registry that is down (after the registry's own retries) fails the task rather than dead-letter the record:
         * nothing of the record is committed, and exactly-once reads it again once the task is back.
         */
        private void rethrowIfTransient(SchemaRegistryException e) {
            if (e.isRetriable()) {
                RecordMetadata where = context.recordMetadata().orElseThrow();
                LOG.warn(
                        "schema registry unavailable at {}-{}@{}: failing the task so the record is processed again after restart",
                        where.topic(),
                        where.partition(),
                        where.offset());
                throw e;
            }
        }

        /** A failure nobody anticipated: dead-lettered by reference, logged with its stack trace but no message (messages may quote values). */
        private void internalError(Record<byte[], byte[]> record, String stage, Throwable e) {
            RecordMetadata where = context.recordMetadata().orElseThrow();
            LOG.error(
                    "internal error at {} for {}-{}@{}; stack trace without messages follows",
                    stage,
                    where.topic(),
                    where.partition(),
                    where.offset(),
                    RedactedThrowable.of(e));
            deadLetter(
                    record,
                    stage,
                    "internal-error",
                    e.getClass().getSimpleName(),
                    "unexpected " + e.getClass().getSimpleName() + " at " + stage
                            + " (a defect: see the log for the stack trace)");
        }

        private void curate(Record<byte[], byte[]> record, DecodedRecord decoded, EventTimeGuard.Verdict time) {
            String table = decoded.table();
            if (identity != null && !identity.keyedAsDeclared(record.key(), decoded.row())) {
                keyMismatches.increment();
                if (!keyMismatchLogged) {
                    keyMismatchLogged = true;
                    RecordMetadata where = context.recordMetadata().orElseThrow();
                    LOG.warn(
                            "{}-{}@{}: the record key is not the value of the source's dedup inputKey field, so copies "
                                    + "of this event may sit in other partitions and escape deduplication; key the "
                                    + "topic's records by that field (sluice receive does) or remove inputKey "
                                    + "(counted in sluice_dedup_input_key_mismatches_total; logged once per task)",
                            where.topic(),
                            where.partition(),
                            where.offset());
                }
            }
            MaskingObserver observer = observers.computeIfAbsent(table, MeteringObserver::new);
            Map<String, Object> curatedRow =
                    CuratedRecordCodec.metadata(decoded, decoded.row().size());
            policy.maskInto(source, table, decoded.row(), observer, curatedRow);
            Map<String, Object> key =
                    decoded.key() == null ? null : policy.mask(source, table, decoded.key(), MaskingObserver.NONE);
            if (time.original() != null) {
                curatedRow = retimed(curatedRow, time);
            }
            byte[] value = writer.write(curatedTopic, recordName, recordDoc, CuratedFields.DOCS, curatedRow);
            byte[] curatedKey = CuratedRecordCodec.encodeKey(key);
            // Source headers are not masked by any rule, so they do not pass the gate (fail-closed).
            RecordHeaders headers = new RecordHeaders();
            if (identity != null) {
                byte[] id = identity.of(curatedRow, curatedKey, decoded.position());
                headers.add(DedupProcessorSupplier.IDENTITY_HEADER, id);
                headers.add(
                        DedupProcessorSupplier.ARRIVAL_HEADER,
                        DedupProcessorSupplier.arrivalHeader(record.timestamp(), origin));
                if (identity.keyFields()) {
                    curatedKey = id; // copies of an event meet in one partition
                }
            }
            // Stream time follows record timestamps: an event time ahead of its arrival (within the bounds) must not
            // advance it, or one fast clock would close windows early and expire state that on-time records need.
            long timestamp = Math.min(time.eventTime(), record.timestamp());
            if (route != null) {
                byte[] routeKey = route.key(curatedRow);
                boolean local = route.local(routeKey, context.taskId().partition());
                context.forward(new Record<>(routeKey, value, timestamp, headers), curatedChildren.get(local ? 0 : 1));
                (local ? dedupLocal : dedupRouted).increment();
            } else {
                Record<byte[], byte[]> curatedRecord = new Record<>(curatedKey, value, timestamp, headers);
                for (String child : curatedChildren) {
                    context.forward(curatedRecord, child);
                }
            }
            curated.computeIfAbsent(table, t -> metrics.recordsCurated(source, t))
                    .increment();
        }

        /** The curated row with the arrival time as event time and the source's time kept beside it. */
        private Map<String, Object> retimed(Map<String, Object> curatedRow, EventTimeGuard.Verdict time) {
            Map<String, Object> out = new LinkedHashMap<>(curatedRow.size() * 2);
            curatedRow.forEach((column, value) -> {
                if (column.equals(CuratedFields.EVENT_TIME)) {
                    out.put(column, time.eventTime());
                    out.put(CuratedFields.EVENT_TIME_ORIGINAL, time.original());
                } else {
                    out.putIfAbsent(column, value);
                }
            });
            return out;
        }

        /** Counts one table's masking decisions, detector hits and failures. */
        private final class MeteringObserver implements MaskingObserver {
            private final String table;
            // Called for every column of every row: counters by action without building a key string each time
            // (that lookup was a tenth of the gate's time in sluice bench's profile of step (c)).
            private final Map<MaskingAction, Counter> byRule = new EnumMap<>(MaskingAction.class);
            private final Map<MaskingAction, Counter> unlisted = new EnumMap<>(MaskingAction.class);

            MeteringObserver(String table) {
                this.table = table;
            }

            @Override
            public void onColumn(ColumnRef ref, MaskingAction action, boolean ruled) {
                Map<MaskingAction, Counter> counters = ruled ? byRule : unlisted;
                Counter counter = counters.get(action); // no capturing lambda per column when the counter exists
                if (counter == null) {
                    counter = metrics.maskedColumns(source, table, action, !ruled);
                    counters.put(action, counter);
                }
                counter.increment();
            }

            @Override
            public void onDetection(ColumnRef ref, Detector detector) {
                String column = topLevel(ref);
                masked.computeIfAbsent(
                                table + '\0' + column + '\0' + detector,
                                k -> metrics.piiDetections(source, table, column, detector.configName()))
                        .increment();
            }

            @Override
            public void onFailure(ColumnRef ref, String reason) {
                String column = topLevel(ref);
                masked.computeIfAbsent(
                                table + '\0' + column + '\0' + reason + "\0failure",
                                k -> metrics.maskingFailures(source, table, column, reason))
                        .increment();
            }

            // Nested JSON keys come from the data: tag by the column only, to bound cardinality.
            private String topLevel(ColumnRef ref) {
                int dot = ref.column().indexOf('.');
                return dot < 0 ? ref.column() : ref.column().substring(0, dot);
            }
        }

        private void deadLetter(
                Record<byte[], byte[]> record, String stage, String reason, String errorClass, String error) {
            RecordMetadata where = context.recordMetadata().orElseThrow();
            LOG.warn(
                    "dead-lettered {}-{}@{} at {} ({}): {}",
                    where.topic(),
                    where.partition(),
                    where.offset(),
                    stage,
                    reason,
                    error);
            DeadLetter entry = DeadLetter.newBuilder()
                    .setSource(source)
                    .setTopic(where.topic())
                    .setPartition(where.partition())
                    .setOffset(where.offset())
                    .setTimestamp(record.timestamp())
                    .setStage(stage)
                    .setReason(reason)
                    .setErrorClass(errorClass)
                    .setError(error)
                    .setRecordedAt(System.currentTimeMillis())
                    .build();
            // Headers are dropped too: they may carry values from the payload.
            context.forward(
                    new Record<byte[], byte[]>(null, DeadLetterCodec.encode(entry), record.timestamp()),
                    deadLetterSink);
            deadLettered
                    .computeIfAbsent(stage + '\0' + reason, r -> metrics.deadLettered(source, stage, reason))
                    .increment();
        }
    }
}
