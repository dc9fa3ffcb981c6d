package io.sluice.receiver;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** {@code sluice receive}: the spool, durable delivery to the source topic and the push server, started and stopped as one. */
public final class PushReceiver implements AutoCloseable {
    /** How long a push may wait for the brokers' acknowledgement before it is spooled instead. */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);

    private final Spool spool;
    private final Producer<byte[], byte[]> producer;
    private final DurableDelivery delivery;
    private final PushServer server;

    private PushReceiver(Spool spool, Producer<byte[], byte[]> producer, DurableDelivery delivery, PushServer server) {
        this.spool = spool;
        this.producer = producer;
        this.delivery = delivery;
        this.server = server;
    }

    /**
     * Opens the spool (an earlier process's entries are delivered first), connects the producer and starts serving.
     *
     * @param client producer properties: bootstrap servers and security, as the {@code kafka:} section gives them
     * @param scrape the Prometheus text of {@code registry}, for {@code /metrics}
     */
    public static PushReceiver start(
            ReceiverSettings settings,
            AppTokens tokens,
            Properties client,
            MeterRegistry registry,
            Supplier<String> scrape)
            throws IOException, InterruptedException {
        Spool spool = Spool.open(settings.spoolDir(), settings.spoolMaxBytes());
        Producer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProperties(client), new ByteArraySerializer(), new ByteArraySerializer());
        DurableDelivery delivery = new DurableDelivery(producer, settings.topic(), spool);
        PushServer server =
                PushServer.start(settings, tokens, delivery, spool, new ReceiverMetrics(registry, spool), scrape);
        return new PushReceiver(spool, producer, delivery, server);
    }

    /** Durable acknowledgements: every in-sync replica, idempotent, and a bounded wait before a push is spooled instead. */
    static Properties producerProperties(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(DELIVERY_TIMEOUT.toMillis() - 500));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(DELIVERY_TIMEOUT.toMillis()));
        // metadata for the topic: a cluster that is away fails send() at once, and the push is spooled
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-receiver");
        return props;
    }

    /** The push port bound. */
    public int port() {
        return server.port();
    }

    /** The port of {@code /metrics} and the probes. */
    public int opsPort() {
        return server.opsPort();
    }

    /** The spool, for its depth. */
    public Spool spool() {
        return spool;
    }

    /** Stops serving, then delivering; what is still spooled stays for the next start. */
    @Override
    public void close() throws IOException {
        server.close();
        delivery.close();
        producer.close(Duration.ofSeconds(10));
        spool.close();
    }
}
