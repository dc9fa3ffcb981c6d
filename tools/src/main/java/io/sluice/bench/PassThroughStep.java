package io.sluice.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Step (a), the floor: a plain consumer copies every input record's bytes to an output topic with
 * a plain producer, at least once — flush, then commit, every commit interval — with the client
 * settings Kafka Streams uses (1,000 records a poll, 100 ms linger).
 */
final class PassThroughStep {
    private static final LadderStep STEP = LadderStep.BARE_CLIENTS;

    private PassThroughStep() {}

    static DrainWindow run(
            ClusterClients clients,
            List<String> inputs,
            long records,
            long brokerPid,
            BenchTopics topics,
            Duration timeout)
            throws InterruptedException {
        topics.create(
                inputs.stream()
                        .map(t -> LadderConfigs.passThroughTopic(STEP, t))
                        .toList(),
                java.util.Optional.empty());
        AtomicLong copied = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Copier copier = new Copier(clients, inputs, copied, failure);
        DrainSampler sampler = new DrainSampler(copied::get, brokerPid);
        Thread thread = new Thread(copier, "sluice-bench-pass-through");
        thread.start();
        try {
            topics.awaitCaughtUp(STEP.applicationId(), inputs, timeout, () -> {
                if (failure.get() != null) {
                    throw new IllegalStateException("step (a) failed", failure.get());
                }
            });
            return sampler.finish(records);
        } finally {
            sampler.close();
            copier.running = false;
            thread.join(30_000);
        }
    }

    private static final class Copier implements Runnable {
        private final Map<String, Object> consumerProps = new HashMap<>();
        private final Map<String, Object> producerProps = new HashMap<>();
        private final List<String> inputs;
        private final AtomicLong copied;
        private final AtomicReference<Throwable> failure;
        private volatile boolean running = true;

        Copier(ClusterClients clients, List<String> inputs, AtomicLong copied, AtomicReference<Throwable> failure) {
            this.inputs = inputs;
            this.copied = copied;
            this.failure = failure;
            consumerProps.putAll(clients.properties());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, STEP.applicationId());
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
            producerProps.putAll(clients.properties());
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        }

        @Override
        public void run() {
            long commitEveryMs = Long.parseLong(LadderConfigs.AT_LEAST_ONCE_COMMIT_INTERVAL_MS);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> producer =
                            new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
                consumer.subscribe(inputs);
                long lastCommit = System.currentTimeMillis();
                while (running) {
                    int polled = 0;
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        producer.send(new ProducerRecord<>(
                                LadderConfigs.passThroughTopic(STEP, r.topic()),
                                null,
                                r.timestamp(),
                                r.key(),
                                r.value(),
                                r.headers()));
                        polled++;
                    }
                    copied.addAndGet(polled);
                    if (System.currentTimeMillis() - lastCommit >= commitEveryMs || polled == 0) {
                        producer.flush();
                        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                        consumer.assignment()
                                .forEach(tp -> positions.put(tp, new OffsetAndMetadata(consumer.position(tp))));
                        consumer.commitSync(positions);
                        lastCommit = System.currentTimeMillis();
                    }
                }
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }
    }
}
