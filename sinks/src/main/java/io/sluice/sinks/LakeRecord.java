package io.sluice.sinks;

/**
 * One curated record on its way to the lake, with its Kafka coordinates (passed in as plain
 * values: this module does not depend on Kafka).
 *
 * @param topic     curated topic
 * @param table     lake table name
 * @param partition topic partition
 * @param offset    record offset
 * @param timestamp Kafka timestamp, used as event time when the row carries none
 * @param value     the curated row as JSON
 */
public record LakeRecord(String topic, String table, int partition, long offset, long timestamp, byte[] value) {
}
