package io.sluice.sinks;

import java.io.IOException;
import java.util.Map;

/**
 * One curated record on its way to the lake, with its Kafka coordinates (passed in as plain
 * values: this module does not depend on Kafka).
 *
 * @param topic     curated topic
 * @param table     lake table name
 * @param partition topic partition
 * @param offset    record offset
 * @param timestamp Kafka timestamp, used as event time when the row carries none
 * @param row       the curated row: column name to String, Long, Integer, Double, BigDecimal,
 *                  BigInteger, Boolean or null (nested maps and lists are kept as JSON text)
 * @param bytes     the size of the record's value on the topic, which the flush policy counts
 */
public record LakeRecord(
        String topic, String table, int partition, long offset, long timestamp, Map<String, Object> row, int bytes) {

    /** A record whose value is a curated row as a JSON object (numbers kept exact). */
    public static LakeRecord ofJson(
            String topic, String table, int partition, long offset, long timestamp, byte[] json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = LakeJson.MAPPER.readValue(json, Map.class);
            if (row == null) {
                throw new IOException("null");
            }
            return new LakeRecord(topic, table, partition, offset, timestamp, row, json.length);
        } catch (IOException e) {
            // never the record's text: a curated row that is not JSON may still hold what masking missed
            throw new IllegalArgumentException(
                    "record " + topic + "-" + partition + "@" + offset + " is not a JSON object");
        }
    }
}
