package io.sluice.runtime;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The part of the {@code kafka:} section a plain client understands (address, security, timeouts),
 * so that the lake sink, admin and replay clients connect exactly as Kafka Streams does.
 */
public final class ClientProperties {

    private ClientProperties() {}

    /** Properties for an admin client. */
    public static Properties admin(Map<String, String> kafka) {
        return only(kafka, AdminClientConfig.configNames());
    }

    /** Properties for a consumer. */
    public static Properties consumer(Map<String, String> kafka) {
        return only(kafka, ConsumerConfig.configNames());
    }

    /** Properties for a producer. */
    public static Properties producer(Map<String, String> kafka) {
        Properties props = only(kafka, ProducerConfig.configNames());
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return props;
    }

    private static Properties only(Map<String, String> kafka, Set<String> known) {
        Properties props = new Properties();
        kafka.forEach((k, v) -> {
            if (known.contains(k)) {
                props.put(k, v);
            }
        });
        return props;
    }
}
