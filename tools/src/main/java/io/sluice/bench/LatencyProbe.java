package io.sluice.bench;

import io.sluice.config.SluiceConfig;
import io.sluice.replay.InputRecord;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency of a running step under an open-loop load: live records shaped like the
 * input are sent on a fixed schedule whether or not the pipeline keeps up (so a stall shows as
 * latency instead of slowing the sender down), each carrier record stamped with its scheduled
 * send time, and the curated rows consumed (read_committed) as they appear.
 */
final class LatencyProbe {
    /** The first seconds of a run warm the live path up (new schema versions, JIT) and are not measured: 3 s, or a quarter of a short run. */
    static final Duration WARM_UP = Duration.ofSeconds(3);

    private static final Duration SETTLE = Duration.ofSeconds(15);

    private LatencyProbe() {}

    /**
     * Runs.
     *
     * @param base     the user's configuration, which the live records are shaped like
     * @param clients   how to connect to the cluster
     * @param carrier  where the stamp travels
     * @param registry the registry the step writes the carrier's curated schemas to
     * @param rate     records per second to offer
     * @param duration how long to offer them
     */
    static LatencyFigures run(
            SluiceConfig base,
            ClusterClients clients,
            LatencyCarrier carrier,
            SchemaRegistry registry,
            double rate,
            Duration duration)
            throws InterruptedException {
        long count = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        long startWall = System.currentTimeMillis();
        BenchDataGenerator live = new BenchDataGenerator(
                base, count, startWall - 1_000, duration, startWall, new FeedFaults(false), carrier);
        List<long[]> received = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong stamped = new AtomicLong();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(clients)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(carrier.curatedTopic())) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread sender =
                    new Thread(() -> send(clients, live, carrier, rate, stamped, failure), "sluice-bench-open-loop");
            sender.start();
            CuratedAvroReader reader = new CuratedAvroReader(registry);
            long lastNews = System.nanoTime();
            while (sender.isAlive()
                    || (received.size() < stamped.get() && System.nanoTime() - lastNews < SETTLE.toNanos())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    long sent = r.value() == null
                            ? -1
                            : LatencyStamp.decode(reader.read(r.value()).get(carrier.field()));
                    if (sent > 0) {
                        received.add(new long[] {sent, now});
                        lastNews = System.nanoTime();
                    }
                }
            }
            sender.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the open-loop sender failed", failure.get());
        }
        long measuredFrom = startWall + warmUp(duration).toMillis();
        long[] latencies = received.stream()
                .filter(r -> r[0] >= measuredFrom)
                .mapToLong(r -> r[1] - r[0])
                .toArray();
        return LatencyFigures.of(latencies, rate, count);
    }

    static Duration warmUp(Duration run) {
        Duration quarter = run.dividedBy(4);
        return quarter.compareTo(WARM_UP) < 0 ? quarter : WARM_UP;
    }

    /** Sends record i at start + i / rate, stamping carrier records with that instant. */
    private static void send(
            ClusterClients clients,
            BenchDataGenerator live,
            LatencyCarrier carrier,
            double rate,
            AtomicLong stamped,
            AtomicReference<Throwable> failure) {
        Map<String, Object> props = clients.properties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long startNanos = System.nanoTime();
            long startWall = System.currentTimeMillis();
            double nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / rate;
            for (long i = 0; live.hasNext(); i++) {
                InputRecord r = live.next();
                long due = startNanos + (long) (i * nanosPerRecord);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (r.topic().equals(carrier.topic())
                        && LatencyStamp.stamp(r.value(), startWall + TimeUnit.NANOSECONDS.toMillis(due - startNanos))) {
                    stamped.incrementAndGet();
                }
                producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()));
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ClusterClients clients) {
        Map<String, Object> props = clients.properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
