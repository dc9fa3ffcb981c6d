package io.sluice.schemas;

/**
 * Names of the metadata columns Sluice adds to every curated row. They start with a double
 * underscore, as Debezium's new-record-state extraction does, so that they cannot collide with
 * source columns.
 */
public final class CuratedFields {
    /** Debezium operation: c (insert), u (update), d (delete), r (snapshot read); absent for MMP events. */
    public static final String OP = "__op";
    /** True for a delete: the row shows the last known state of the deleted row. */
    public static final String DELETED = "__deleted";
    /** Event time in epoch milliseconds: source commit time for CDC, event_time for MMP. Lake partitions use it. */
    public static final String EVENT_TIME = "__event_time";
    /**
     * The event time as the source sent it, in epoch milliseconds, when it was implausible (far ahead of the record's
     * arrival, or before the source's earliest plausible time) and {@link #EVENT_TIME} holds the arrival time instead.
     * Absent otherwise.
     */
    public static final String EVENT_TIME_ORIGINAL = "__event_time_original";
    /** CDC only: the change's position in the source log ({@code pg:<lsn>}, {@code binlog:<file>:<pos>:<row>}, {@code gtid:...}). */
    public static final String SOURCE_SEQ = "__source_seq";
    /** Curated-topic partition the row was read from, written by the lake sink. */
    public static final String KAFKA_PARTITION = "__kafka_partition";
    /** Curated-topic offset the row was read from, written by the lake sink; with the partition, a row's identity. */
    public static final String KAFKA_OFFSET = "__kafka_offset";
    /**
     * Header of a tombstone on a topic the lake keeps as a table of upserts ({@code dim.<table>.history}): the event
     * time (epoch milliseconds, decimal text) of the row it removes, which a tombstone has no value to carry, so that
     * the lake finds the hour that row is in.
     */
    public static final String TOMBSTONE_EVENT_TIME_HEADER = "sluice.event_time";
    /** Prefix reserved for Sluice's own columns. */
    public static final String RESERVED_PREFIX = "__";

    /** Documentation of the metadata columns, as curated schemas carry it. */
    public static final java.util.Map<String, String> DOCS = java.util.Map.of(
            OP, "Debezium operation: c (insert), u (update), d (delete), r (snapshot read); null for MMP events.",
            DELETED, "True for a delete: the row shows the last known state of the deleted row.",
            EVENT_TIME,
                    "Event time in epoch milliseconds (UTC): source commit time for CDC, event_time for MMP. Lake partitions use it.",
            EVENT_TIME_ORIGINAL,
                    "The event time as the source sent it (epoch milliseconds), when it was implausible and "
                            + "__event_time holds the record's arrival time instead; absent otherwise.",
            SOURCE_SEQ,
                    "CDC only: the change's position in the source log (pg:<lsn>, binlog:<file>:<pos>:<row>, gtid:...).");

    private CuratedFields() {}
}
