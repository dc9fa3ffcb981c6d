package io.sluice.bench;

import java.util.List;

/** Generates one topic's records, one source event at a time, each record with its arrival time. */
interface TopicFeed {
    /** The topic the feed writes. */
    String topic();

    /** The records of one event at {@code eventTimeMs}: usually one, plus a re-delivered copy or a tombstone now and then. */
    List<Arrival> next(long eventTimeMs);

    /**
     * A record and when it arrives at the broker.
     *
     * @param topic     the topic
     * @param key       key bytes, or null
     * @param value     value bytes, or null for a tombstone
     * @param arrivalMs arrival time (epoch ms), also the record's timestamp
     */
    record Arrival(String topic, byte[] key, byte[] value, long arrivalMs) {}
}
