package io.sluice.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.ClientProperties;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes the committed content of topics to {@code DIR/<topic>.jsonl}: one record per line with
 * partition, offset, timestamp, key and value, decoded to JSON where they are JSON or Avro in the
 * Confluent wire format (text otherwise).
 */
public final class TopicDumper {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, String> kafka;
    private final CuratedAvroReader avro;

    /** A dumper over a cluster; Avro values (Confluent wire format) are decoded with the registry. */
    public TopicDumper(Map<String, String> kafka, SchemaRegistry registry) {
        this.kafka = kafka;
        this.avro = new CuratedAvroReader(registry);
    }

    /** Dumps each topic; returns the number of records per topic, in the given order. */
    public Map<String, Long> dump(List<String> topics, Path dir) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        Properties props = ClientProperties.consumer(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Files.createDirectories(dir);
            for (String topic : topics) {
                counts.put(topic, dumpTopic(consumer, topic, dir.resolve(topic + ".jsonl")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write topic dumps to " + dir, e);
        }
        return counts;
    }

    private long dumpTopic(KafkaConsumer<byte[], byte[]> consumer, String topic, Path file) throws IOException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort(Comparator.comparingInt(TopicPartition::partition));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                ObjectNode line = MAPPER.createObjectNode();
                line.put("partition", record.partition());
                line.put("offset", record.offset());
                line.put("timestamp", record.timestamp());
                line.set("key", decode(record.key()));
                line.set(
                        "value",
                        CuratedAvroReader.isFramed(record.value())
                                ? avro.readTree(record.value())
                                : decode(record.value()));
                out.write(MAPPER.writeValueAsString(line));
                out.newLine();
            }
        }
        return records.size();
    }

    private static JsonNode decode(byte[] bytes) {
        if (bytes == null) {
            return MAPPER.nullNode();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node == null ? MAPPER.nullNode() : node;
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
