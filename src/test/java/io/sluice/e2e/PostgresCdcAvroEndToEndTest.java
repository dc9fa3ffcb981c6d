package io.sluice.e2e;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Avro;
import io.sluice.runtime.EmbeddedSchemaRegistry;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Real CDC through an Avro converter in the Confluent wire format: Apicurio's Kafka Connect
 * {@code AvroConverter} (test-scoped; what Debezium picks for Avro when given an Apicurio URL),
 * registering Debezium's schemas in a real Apicurio registry, Confluent-compatible ids in the
 * payload. Sluice reads them with {@code format: avro} through the same registry's Confluent API.
 */
class PostgresCdcAvroEndToEndTest extends PostgresCdcEndToEnd {
    private EmbeddedSchemaRegistry registry;

    @Override
    String format() {
        return "avro";
    }

    @Override
    String sluiceRegistryUrl() {
        registry = EmbeddedSchemaRegistry.start(dir.resolve("registry"));
        return registry.url();
    }

    @Override
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    DebeziumEngine<?> engine(Properties properties, DebeziumEngine.CompletionCallback callback) {
        String apicurio = registry.url().replace("/apis/ccompat/v7", "/apis/registry/v2");
        properties.setProperty("converter.apicurio.registry.url", apicurio);
        properties.setProperty("converter.apicurio.registry.auto-register", "true");
        properties.setProperty("converter.apicurio.registry.find-latest", "true");
        // Confluent's wire format: magic byte and a 4-byte id, which the ccompat API serves as the content id.
        properties.setProperty("converter.apicurio.registry.as-confluent", "true");
        properties.setProperty("converter.apicurio.registry.use-id", "contentId");
        properties.setProperty("converter.apicurio.registry.headers.enabled", "false");
        KafkaProducer<byte[], byte[]> producer = producer();
        return DebeziumEngine.create(Avro.class)
                .using(properties)
                .notifying(event -> producer.send(new ProducerRecord<>(event.destination(), event.key(), event.value())))
                .using(callback)
                .build();
    }
}
