package io.sluice.replay;

/**
 * One record to produce into a source topic.
 *
 * @param topic     the topic
 * @param partition the partition, or null to let the producer choose
 * @param key       key bytes, or null
 * @param value     value bytes, or null for a tombstone
 * @param timestamp epoch milliseconds, or null for "now"
 */
public record InputRecord(String topic, Integer partition, byte[] key, byte[] value, Long timestamp) {}
