package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.runtime.EmbeddedSchemaRegistry;
import io.sluice.serdes.registry.AvroRecordSerde;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistryClient;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.formats.avro.registry.confluent.ConfluentSchemaRegistryCoder;
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
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("sluice.test").fields()
            .requiredLong("id").requiredString("note").endRecord();
    private static final Schema ORDER_BREAKING = SchemaBuilder.record("Order").namespace("sluice.test").fields()
            .requiredLong("id").requiredString("note").requiredInt("qty").endRecord();

    @TempDir
    static Path dir;
    static EmbeddedSchemaRegistry registry;
    static SchemaRegistryClient ours;
    static CachedSchemaRegistryClient confluent;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(dir);
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

        assertThat(confluent.register("orders-value", new AvroSchema(ORDER.toString()))).isEqualTo(id);
        assertThat(confluent.getSchemaById(id).canonicalString()).isEqualTo(ORDER.toString());
        assertThat(confluent.getLatestSchemaMetadata("orders-value").getId()).isEqualTo(id);
        assertThat(new SchemaRegistryClient(RegistrySettings.of(registry.url())).schemaById(id)).isEqualTo(ORDER);
    }

    @Test
    void confluentReadsWhatSluiceWritesAndSluiceReadsWhatConfluentWrites() throws Exception {
        GenericData.Record order = new GenericData.Record(ORDER);
        order.put("id", 42L);
        order.put("note", "안녕");
        AvroRecordSerde<GenericRecord> serde = AvroRecordSerde.generic(ours, false);

        byte[] ourBytes = serde.serialize("orders", order);

        ByteArrayInputStream in = new ByteArrayInputStream(ourBytes);
        var writerSchema = new ConfluentSchemaRegistryCoder(new CachedSchemaRegistryClient(registry.url(), 10)).readSchema(in);
        var decoded = new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader<
                org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord>(writerSchema)
                .read(null, org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory.get().binaryDecoder(in, null));
        assertThat(decoded.get("id")).isEqualTo(42L);
        assertThat(decoded.get("note").toString()).isEqualTo("안녕");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var theirSchema = new AvroSchema(ORDER.toString());
        new ConfluentSchemaRegistryCoder("orders-value", confluent).writeSchema(theirSchema.rawSchema(), out);
        var theirRecord = new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericData.Record(theirSchema.rawSchema());
        theirRecord.put("id", 42L);
        theirRecord.put("note", "안녕");
        var encoder = org.apache.flink.avro.shaded.org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumWriter<
                org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord>(theirSchema.rawSchema()).write(theirRecord, encoder);
        encoder.flush();

        assertThat(out.toByteArray()).as("byte for byte the same record").isEqualTo(ourBytes);
        assertThat(serde.deserialize("orders", out.toByteArray())).isEqualTo(order);
    }

    @Test
    void mapsTheRealRegistrysErrors() {
        ours.register("evolving-value", ORDER);

        assertThatThrownBy(() -> ours.register("evolving-value", ORDER_BREAKING))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE));
        assertThat(ours.isCompatible("evolving-value", ORDER_BREAKING)).isFalse();
        assertThatThrownBy(() -> ours.latest("nobody-value"))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> ours.schemaById(987_654))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
