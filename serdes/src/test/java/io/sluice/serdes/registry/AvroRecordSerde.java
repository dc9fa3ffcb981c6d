package io.sluice.serdes.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro records in the Confluent wire format, with schemas in a registry: what Confluent's
 * {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} do, for generic and specific records.
 * Writers register their schema ({@code autoRegister}), or write with the subject's latest
 * version ({@code useLatestVersion}), or else require it to be registered already.
 *
 * @param <T> GenericRecord, or a generated SpecificRecord class
 */
public final class AvroRecordSerde<T extends GenericRecord> implements Serde<T> {
    private final SchemaRegistry registry;
    private final boolean isKey;
    private final Class<T> specificType;

    private AvroRecordSerde(SchemaRegistry registry, boolean isKey, Class<T> specificType) {
        this.registry = registry;
        this.isKey = isKey;
        this.specificType = specificType;
    }

    /** A serde of generic records: readers get the writer's schema. */
    public static AvroRecordSerde<GenericRecord> generic(SchemaRegistry registry, boolean isKey) {
        return new AvroRecordSerde<>(registry, isKey, null);
    }

    /** A serde of a generated record class: readers resolve the writer's schema to the class's. */
    public static <S extends SpecificRecord & GenericRecord> AvroRecordSerde<S> specific(
            SchemaRegistry registry, boolean isKey, Class<S> type) {
        return new AvroRecordSerde<>(registry, isKey, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean key) {
        // configured at construction
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    /** Writes a record for a topic: header with the schema id, then the Avro binary. */
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        RegistrySettings settings = registry.settings();
        String subject = settings.strategy().subject(topic, isKey, schema);
        int id;
        Schema writeWith = schema;
        if (settings.useLatestVersion()) {
            SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
            id = latest.id();
            writeWith = latest.schema();
        } else if (settings.autoRegister()) {
            id = registry.register(subject, schema);
        } else {
            id = registry.lookup(subject, schema);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(ConfluentWireFormat.header(id));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(writeWith).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            // Never e.getMessage(): Avro's messages can quote the datum.
            throw new SerializationException("cannot write a record of " + schema.getFullName() + " to " + topic
                    + " with schema id " + id + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads a framed record, fetching the writer's schema by id. */
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(data);
        Schema writer = registry.schemaById(id);
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(
                            data,
                            ConfluentWireFormat.HEADER_LENGTH,
                            data.length - ConfluentWireFormat.HEADER_LENGTH,
                            null);
            return reader(writer).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a record of schema id " + id + " from " + topic + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writer(Schema schema) {
        return specificType != null
                ? new SpecificDatumWriter<>(schema, specificData())
                : (DatumWriter<T>) new GenericDatumWriter<GenericRecord>(schema);
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> reader(Schema writer) {
        if (specificType != null) {
            SpecificData data = specificData();
            return new SpecificDatumReader<>(writer, data.getSchema(specificType), data);
        }
        return (DatumReader<T>) new GenericDatumReader<GenericRecord>(writer);
    }

    /**
     * Resolves the one generated class this serde was made for without looking its name up: Avro 1.12.2 refuses a
     * name lookup of any class it was not told to trust, and telling it means a JVM-wide setting.
     */
    private SpecificData specificData() {
        Class<T> type = specificType;
        return new SpecificData(type.getClassLoader()) {
            @Override
            @SuppressWarnings("rawtypes")
            public Class getClass(Schema schema) {
                return schema.getType() == Schema.Type.RECORD
                                && schema.getFullName().equals(type.getName())
                        ? type
                        : super.getClass(schema);
            }
        };
    }
}
