package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import io.sluice.replay.ReplayInputReader;
import io.sluice.serdes.registry.AvroRecordSerde;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistryClient;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.formats.avro.registry.confluent.ConfluentSchemaRegistryCoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's registry client and Avro serdes against a real registry server (Apicurio, as the
 * embedded runtime runs it), checked against Confluent's genuine client (7.5.3, relocated inside
 * a Flink jar, test scope only): same ids, same schemas, same bytes.
 */
class SchemaRegistryConformanceTest {
    private static final Schema ORDER = SchemaBuilder.record("Order")
            .namespace("sluice.test")
            .fields()
            .requiredLong("id")
            .requiredString("note")
            .endRecord();
    private static final Schema ORDER_BREAKING = SchemaBuilder.record("Order")
            .namespace("sluice.test")
            .fields()
            .requiredLong("id")
            .requiredString("note")
            .requiredInt("qty")
            .endRecord();

    @TempDir
    static Path dir;

    static EmbeddedSchemaRegistry registry;
    static SchemaRegistryClient ours;
    static CachedSchemaRegistryClient confluent;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(dir.resolve("registry"));
        ours = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        confluent = new CachedSchemaRegistryClient(registry.url(), 100);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void bothClientsAgreeOnIdsAndSchemas() throws Exception {
        int id = ours.register("orders-value", ORDER);

        assertThat(confluent.register("orders-value", new AvroSchema(ORDER.toString())))
                .isEqualTo(id);
        assertThat(confluent.getSchemaById(id).canonicalString()).isEqualTo(ORDER.toString());
        assertThat(confluent.getLatestSchemaMetadata("orders-value").getId()).isEqualTo(id);
        assertThat(new SchemaRegistryClient(RegistrySettings.of(registry.url())).schemaById(id))
                .isEqualTo(ORDER);
    }

    @Test
    void confluentReadsWhatSluiceWritesAndSluiceReadsWhatConfluentWrites() throws Exception {
        GenericData.Record order = new GenericData.Record(ORDER);
        order.put("id", 42L);
        order.put("note", "안녕");
        AvroRecordSerde<GenericRecord> serde = AvroRecordSerde.generic(ours, false);

        byte[] ourBytes = serde.serialize("orders", order);

        ByteArrayInputStream in = new ByteArrayInputStream(ourBytes);
        var writerSchema =
                new ConfluentSchemaRegistryCoder(new CachedSchemaRegistryClient(registry.url(), 10)).readSchema(in);
        var decoded = new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader<
                        org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord>(writerSchema)
                .read(
                        null,
                        org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory.get()
                                .binaryDecoder(in, null));
        assertThat(decoded.get("id")).isEqualTo(42L);
        assertThat(decoded.get("note").toString()).isEqualTo("안녕");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var theirSchema = new AvroSchema(ORDER.toString());
        new ConfluentSchemaRegistryCoder("orders-value", confluent).writeSchema(theirSchema.rawSchema(), out);
        var theirRecord =
                new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericData.Record(theirSchema.rawSchema());
        theirRecord.put("id", 42L);
        theirRecord.put("note", "안녕");
        var encoder = org.apache.flink.avro.shaded.org.apache.avro.io.EncoderFactory.get()
                .directBinaryEncoder(out, null);
        new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumWriter<
                        org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord>(theirSchema.rawSchema())
                .write(theirRecord, encoder);
        encoder.flush();

        assertThat(out.toByteArray()).as("byte for byte the same record").isEqualTo(ourBytes);
        assertThat(serde.deserialize("orders", out.toByteArray())).isEqualTo(order);
    }

    @Test
    void aPlainConsumerWithConfluentsClientReadsACuratedTopicSluiceWrote() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "conformance-secret-0123456789-abcdef");
        SluiceConfig config =
                ConfigLoader.parse(Fixtures.resource("replay.yaml").replace("${KEY_FILE}", key.toString())
                        + "schemaRegistry: { url: \"" + registry.url() + "\" }\n");
        List<InputRecord> events =
                ReplayInputReader.read("mmp.appsflyer.events", Fixtures.copy("mmp-events.jsonl", dir));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                EmbeddedRun run = new EmbeddedRun(config, Map.of(), Duration.ofMinutes(2))) {
            run.process(kafka, events, dir.resolve("lake"), dir.resolve("state"));

            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "downstream");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord> rows = new ArrayList<>();
            ConfluentSchemaRegistryCoder coder =
                    new ConfluentSchemaRegistryCoder(new CachedSchemaRegistryClient(registry.url(), 10));
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("curated.mmp.events"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (rows.size() < 4 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        ByteArrayInputStream in = new ByteArrayInputStream(r.value());
                        var writer = coder.readSchema(in);
                        rows.add(new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader<
                                        org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord>(writer)
                                .read(
                                        null,
                                        org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory.get()
                                                .binaryDecoder(in, null)));
                    }
                }
            }

            assertThat(rows).hasSize(4);
            var purchase = rows.stream()
                    .filter(r -> r.get("event_name").toString().equals("af_purchase"))
                    .findFirst()
                    .orElseThrow();
            assertThat(purchase.getSchema().getFullName()).isEqualTo("io.sluice.curated.mmp.events");
            assertThat(purchase.getSchema().getField("__event_time").doc())
                    .startsWith("Event time in epoch milliseconds");
            assertThat(purchase.get("__event_time")).isEqualTo(1763718312345L);
            assertThat(purchase.get("customer_user_id").toString()).startsWith("k1:");
            assertThat(purchase.getSchema()
                            .getField("event_revenue_usd")
                            .schema()
                            .getTypes()
                            .get(1)
                            .getLogicalType()
                            .getName())
                    .isEqualTo("decimal");
            assertThat(confluent
                            .getLatestSchemaMetadata("curated.mmp.events-value")
                            .getSchema())
                    .contains("io.sluice.curated.mmp");
        }
    }

    @Test
    void mapsTheRealRegistrysErrors() {
        ours.register("evolving-value", ORDER);

        assertThatThrownBy(() -> ours.register("evolving-value", ORDER_BREAKING))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.INCOMPATIBLE));
        assertThat(ours.isCompatible("evolving-value", ORDER_BREAKING)).isFalse();
        assertThatThrownBy(() -> ours.latest("nobody-value"))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> ours.schemaById(987_654))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
