package io.sluice.config;

import java.util.Optional;

/**
 * How Sluice creates the topics it writes (curated and dead-letter) when they do not exist.
 *
 * @param partitions        partition count, or empty for the broker's default
 * @param replicationFactor replication factor, or empty for the broker's default
 */
public record TopicSettings(Optional<Integer> partitions, Optional<Short> replicationFactor) {
}
