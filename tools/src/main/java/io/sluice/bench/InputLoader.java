package io.sluice.bench;

import io.sluice.replay.InputRecord;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces generated input into the source topics before the ladder starts, as a connector would have. */
final class InputLoader {

    private InputLoader() {}

    /** Sends every record and returns how many were sent, all acknowledged. */
    static long load(ClusterClients clients, Iterator<InputRecord> records) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        Map<String, Object> props = clients.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (records.hasNext()) {
                InputRecord r = records.next();
                producer.send(
                        new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent++;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not produce the benchmark's input: " + failure.get(), failure.get());
        }
        return sent;
    }
}
