package io.sluice.e2e;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Avro;
import io.sluice.embedded.EmbeddedSchemaRegistry;
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

    /** This variant keeps the lake as Iceberg tables: the same history, and the current-state table. */
    @Override
    boolean iceberg() {
        return true;
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Order(3)
    void theIcebergCurrentTableEqualsTheDatabaseAfterInsertsUpdatesDeletesAndAReinsertedKey() throws Exception {
        assertCurrentTableEqualsTheDatabaseAfterInsertsUpdatesDeletesAndAReinsertedKey();
    }

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
        DebeziumPostgres.withApicurioAvro(properties, registry);
        KafkaProducer<byte[], byte[]> producer = producer();
        return DebeziumEngine.create(Avro.class)
                .using(properties)
                .notifying(
                        event -> producer.send(new ProducerRecord<>(event.destination(), event.key(), event.value())))
                .using(callback)
                .build();
    }
}
