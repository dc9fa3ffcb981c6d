package io.sluice.serdes.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/** How a subject name is derived, as in Confluent's serializers. */
public enum SubjectNameStrategy {
    /** {@code <topic>-value} / {@code <topic>-key}: one schema lineage per topic (the default). */
    TOPIC,
    /** The record's full name: one lineage per record type, whatever the topic. */
    RECORD,
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD;

    /** The subject for a topic's key or value schema. */
    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC -> topic + (isKey ? "-key" : "-value");
            case RECORD -> schema.getFullName();
            case TOPIC_RECORD -> topic + "-" + schema.getFullName();
        };
    }

    /** Parses {@code topic}, {@code record} or {@code topic-record}. */
    public static SubjectNameStrategy fromConfig(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "topic" -> TOPIC;
            case "record" -> RECORD;
            case "topic-record" -> TOPIC_RECORD;
            default ->
                throw new IllegalArgumentException(
                        "unknown subject name strategy '" + text + "', expected topic, record or topic-record");
        };
    }
}
