package io.sluice.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a source deduplicated by fields meets its copies: the partition of its dedup repartition topic that the
 * masked value of one identity field (the route field) hashes to, as Kafka's producer hashes keys. The curate step
 * and the dedup step share a task per partition number, so a record already read in the task of its identity's
 * partition is deduplicated there without the round trip through the broker; only the others travel. An input
 * keyed by the route field with Kafka's default partitioner, as {@code sluice receive} keys AppsFlyer pushes by
 * {@code appsflyer_id}, then never uses the repartition topic at all, and nothing has to be declared.
 *
 * <p>Exact because every copy of an identity is deduplicated in one task: a copy read elsewhere travels to it. The
 * decision needs the repartition topic's partition count; when it is not known, every record travels, as before.
 */
public final class DedupRoute {
    private final String field;
    private final String topic;
    private final int partitions;

    /**
     * @param field      the identity field whose masked value routes a record
     * @param topic      the dedup repartition topic
     * @param partitions the topic's partition count, or 0 when unknown (every record then travels)
     */
    public DedupRoute(String field, String topic, int partitions) {
        this.field = Objects.requireNonNull(field, "field");
        this.topic = Objects.requireNonNull(topic, "topic");
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must not be negative");
        }
        this.partitions = partitions;
    }

    /** The route key of a masked row: the text of its route field's value, as an input keyed by it carries it. */
    byte[] key(Map<String, Object> curatedRow) {
        return String.valueOf(curatedRow.get(field)).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a record with this route key, read in the task of this partition number, is deduplicated there. */
    boolean local(byte[] routeKey, int taskPartition) {
        return partitions > 0 && partitionOf(routeKey, partitions) == taskPartition;
    }

    /** Sends a travelling record to its identity's partition, refusing a topic resized under a running topology. */
    StreamPartitioner<byte[], byte[]> partitioner() {
        return (sinkTopic, routeKey, value, count) -> {
            if (partitions > 0 && count != partitions) {
                // Copies decided local under the old count would be deduplicated in another task than the ones sent.
                throw new IllegalStateException("the dedup repartition topic " + topic + " has " + count
                        + " partitions but this topology was built for " + partitions
                        + "; restart Sluice so it routes by the new count");
            }
            return Optional.of(Set.of(partitionOf(routeKey, count)));
        };
    }

    /** Kafka's default partitioner for a keyed record. */
    static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
