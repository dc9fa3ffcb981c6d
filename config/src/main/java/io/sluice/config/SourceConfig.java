package io.sluice.config;

import java.util.List;

/**
 * One configured source.
 *
 * @param name           short name, used in curated topic and lake table names
 * @param type           what kind of events its topics carry
 * @param topics         the topics to read
 * @param eventTimeField for MMP sources, the field holding the event time
 * @param mmpTable       for MMP sources, the table name the events are curated as
 * @param eventValueKeys for MMP sources, keys of {@code event_value} flattened into {@code event_value_<key>} columns
 * @param unknownToExtra for MMP sources, keep fields outside AppsFlyer's catalogue in an {@code extra} column
 * @param avro           whether the topics carry Avro in the Confluent wire format (else JSON, either converter form)
 * @param eventTimeBounds how far the source's event times are trusted
 * @param maxRecordBytes the largest record (key and value bytes) decoded; a larger one is dead-lettered as {@code record-too-large}
 */
public record SourceConfig(
        String name,
        SourceType type,
        List<String> topics,
        String eventTimeField,
        String mmpTable,
        List<String> eventValueKeys,
        boolean unknownToExtra,
        boolean avro,
        EventTimeBounds eventTimeBounds,
        long maxRecordBytes) {
    /** 8 MiB: eight times a broker's default message limit, so it only bites where topics were opened wider. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 8L << 20;

    public SourceConfig {
        topics = List.copyOf(topics);
        eventValueKeys = List.copyOf(eventValueKeys);
        java.util.Objects.requireNonNull(eventTimeBounds, "eventTimeBounds");
    }

    /** The table a topic of this source feeds: the topic's last segment for CDC, the configured name for MMP. */
    public String tableOf(String topic) {
        if (type == SourceType.MMP) {
            return mmpTable;
        }
        int dot = topic.lastIndexOf('.');
        return dot < 0 ? topic : topic.substring(dot + 1);
    }
}
