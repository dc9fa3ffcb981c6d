package io.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads whole topics from the beginning to their current end, for assertions. */
final class TopicContent {

    private TopicContent() {}

    /**
     * @param isolation {@code read_committed}, or {@code read_uncommitted} to see aborted records too
     */
    static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, Collection<String> topics, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** The committed values of a curated or aggregate topic, decoded from Avro with the registry. */
    static List<JsonNode> rows(String bootstrap, String topic, SchemaRegistry registry) {
        CuratedAvroReader reader = new CuratedAvroReader(registry);
        return read(bootstrap, List.of(topic), "read_committed").stream()
                .map(r -> (JsonNode) reader.readTree(r.value()))
                .toList();
    }

    /** The committed values of a curated or aggregate topic, decoded with the registry at a URL. */
    static List<JsonNode> rows(String bootstrap, String topic, String registryUrl) {
        return rows(bootstrap, topic, SchemaRegistry.connect(RegistrySettings.of(registryUrl)));
    }
}
