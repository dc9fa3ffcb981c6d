package io.sluice.serdes.registry;

import static io.sluice.serdes.registry.SchemaRegistryClientTest.USER_V1;
import static io.sluice.serdes.registry.SchemaRegistryClientTest.USER_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroRecordSerdeTest {
    private InMemorySchemaRegistry server;
    private SchemaRegistryClient registry;

    @BeforeEach
    void start() throws Exception {
        server = new InMemorySchemaRegistry(null);
        registry = new SchemaRegistryClient(RegistrySettings.of(server.url()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void writesTheConfluentWireFormatAndReadsItBack() {
        AvroRecordSerde<GenericRecord> serde = AvroRecordSerde.generic(registry, false);
        GenericRecord user = user(USER_V1, 42L, "gold");

        byte[] bytes = serde.serializer().serialize("curated.shop.users", user);

        int id = registry.lookup("curated.shop.users-value", USER_V1);
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(serde.deserializer().deserialize("curated.shop.users", bytes))
                .isEqualTo(user);
    }

    @Test
    void readsGeneratedRecordsResolvingTheWritersSchema() {
        AvroRecordSerde<DeadLetter> serde = AvroRecordSerde.specific(registry, false, DeadLetter.class);
        DeadLetter entry = DeadLetter.newBuilder()
                .setSource("shop")
                .setTopic("t")
                .setPartition(1)
                .setOffset(7)
                .setTimestamp(1)
                .setStage("decode")
                .setReason("malformed-json")
                .setErrorClass("DecodeException")
                .setError("value is not valid JSON")
                .setRecordedAt(2)
                .build();

        assertThat(serde.deserializer()
                        .deserialize("sluice.dlq", serde.serializer().serialize("sluice.dlq", entry)))
                .isEqualTo(entry);
    }

    @Test
    void withUseLatestVersionWritesTheSubjectsLatestIdWithoutRegistering() {
        SchemaRegistryClient admin = new SchemaRegistryClient(RegistrySettings.of(server.url()));
        admin.register("users-value", USER_V1);
        int latest = admin.register("users-value", USER_V2);
        SchemaRegistryClient writer = new SchemaRegistryClient(new RegistrySettings(
                server.url(), null, null, SubjectNameStrategy.TOPIC, false, true, Duration.ofSeconds(5), 100));

        byte[] bytes = AvroRecordSerde.generic(writer, false).serialize("users", user(USER_V2, 1L, "silver"));

        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(latest);
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFails() {
        SchemaRegistryClient strict = new SchemaRegistryClient(new RegistrySettings(
                server.url(), null, null, SubjectNameStrategy.TOPIC, false, false, Duration.ofSeconds(5), 100));

        assertThatThrownBy(() -> AvroRecordSerde.generic(strict, false).serialize("users", user(USER_V1, 1L, "gold")))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void rejectsForeignBytesAndUnknownIdsClearly() {
        AvroRecordSerde<GenericRecord> serde = AvroRecordSerde.generic(registry, false);

        assertThatThrownBy(() -> serde.deserialize("t", "{\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 0, 0, 9, 2}))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    private static GenericRecord user(org.apache.avro.Schema schema, long id, String tier) {
        GenericData.Record record = new GenericData.Record(schema);
        record.put("id", id);
        record.put("tier", tier);
        return record;
    }
}
