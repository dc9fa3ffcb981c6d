package io.sluice.config;

import java.util.Optional;

/**
 * How Sluice creates the topics it writes (curated and dead-letter) when they do not exist.
 *
 * @param partitions        partition count, or empty for the broker's default
 * @param replicationFactor replication factor, or empty for the broker's default
 * @param appendTimestamps  whether the broker stamps records with their append time ({@code LogAppendTime}), so
 *                          that retention counts from arrival; otherwise records keep their event time, and a
 *                          backfill of events older than the retention is deleted by the broker on arrival
 */
public record TopicSettings(Optional<Integer> partitions, Optional<Short> replicationFactor, boolean appendTimestamps) {

    /** Settings with the given sizes and append-time stamps. */
    public TopicSettings(Optional<Integer> partitions, Optional<Short> replicationFactor) {
        this(partitions, replicationFactor, true);
    }
}
