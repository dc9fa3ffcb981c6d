package io.sluice.replay;

import io.sluice.config.AggregateConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.runtime.ClientProperties;
import io.sluice.topology.TopologyNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The end of a finite input, for aggregates that emit when a window closes: a record on every
 * partition of every aggregate's repartition topic that only advances stream time, so that the
 * last windows close. Used by {@code replay} and {@code demo}, whose input is complete; a running
 * pipeline never needs it.
 */
final class WindowWatermark {
    /** Past the end of the window holding now, and its grace: the repartition topics Sluice creates take any timestamp. */
    private static final Duration MARGIN = Duration.ofMinutes(1);

    private WindowWatermark() {}

    static void send(SluiceConfig config) {
        Properties props = ClientProperties.producer(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (AggregateConfig aggregate : config.aggregates()) {
                // Events re-timed to their arrival (a clock years off) sit in the window holding now: close it too.
                long timestamp = now
                        + aggregate.size().plus(aggregate.grace()).plus(MARGIN).toMillis();
                String topic = TopologyNames.aggregateRepartition(config, aggregate.name());
                for (PartitionInfo partition : producer.partitionsFor(topic)) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("sluice.watermark", "end-of-input".getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(
                            topic, partition.partition(), timestamp, new byte[0], new byte[0], headers));
                }
            }
            producer.flush();
        }
    }
}
