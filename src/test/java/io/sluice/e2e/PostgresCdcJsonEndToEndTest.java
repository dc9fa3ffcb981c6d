package io.sluice.e2e;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Real CDC through Kafka Connect's JSON converter, schemas enabled (the {@code schema}/{@code payload} form). */
class PostgresCdcJsonEndToEndTest extends PostgresCdcEndToEnd {

    @Override
    String format() {
        return "json";
    }

    @Override
    String sluiceRegistryUrl() {
        return "mock://postgres-cdc-json-e2e";
    }

    @Override
    void stopRegistry() {
        // in-process: nothing to stop
    }

    @Override
    DebeziumEngine<?> engine(Properties properties, DebeziumEngine.CompletionCallback callback) {
        properties.setProperty("converter.schemas.enable", "true");
        KafkaProducer<byte[], byte[]> producer = producer();
        return DebeziumEngine.create(Json.class)
                .using(properties)
                .notifying(event -> producer.send(
                        new ProducerRecord<>(event.destination(), bytes(event.key()), bytes(event.value()))))
                .using(callback)
                .build();
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
