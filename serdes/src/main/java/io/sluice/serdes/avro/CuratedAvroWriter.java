package io.sluice.serdes.avro;

import io.sluice.schemas.AvroModel;
import io.sluice.schemas.CuratedEncodingException;
import io.sluice.schemas.RowSchema;
import io.sluice.serdes.registry.ConfluentWireFormat;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryClient;
import io.sluice.serdes.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes curated rows (masked column maps) as Avro in the Confluent wire format, one evolving
 * {@link RowSchema} per topic. A topic's first write starts from the latest schema registered under
 * its subject, so restarts and other instances keep extending one lineage instead of registering
 * a new variant each; a row with a new column or value type grows the schema and registers the new
 * version before the row is written. With {@code useLatestVersion} the registered schema is
 * authoritative and a row that does not fit it is rejected ({@code schema-mismatch}); without
 * {@code autoRegister} the grown schema must already be registered. Not thread-safe: one per stream task.
 */
public final class CuratedAvroWriter {
    private final SchemaRegistry registry;
    private final Map<String, TopicSchema> topics = new HashMap<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;

    /** A writer registering schemas with a registry. */
    public CuratedAvroWriter(SchemaRegistry registry) {
        this.registry = registry;
    }

    /**
     * The framed Avro value of a row.
     *
     * @param topic      the topic the row is written to (its subject follows the registry settings' strategy)
     * @param recordName full name of the topic's record, e.g. {@code io.sluice.curated.shop.users}
     * @param doc        the record's documentation
     * @param columnDocs documentation of columns, by column name, used when a column first appears
     * @param row        column name to value: String, Long/Integer, Double, BigDecimal, Boolean or null
     * @throws CuratedEncodingException when the row cannot be written (a reason code says why)
     * @throws SchemaRegistryException when the registry is unreachable or refuses the schema
     */
    public byte[] write(
            String topic, String recordName, String doc, Map<String, String> columnDocs, Map<String, Object> row) {
        TopicSchema current = topics.get(topic);
        if (current == null) {
            current = open(topic, recordName, doc);
            topics.put(topic, current);
        }
        RowSchema grown = current.schema.grownBy(row, columnDocs);
        if (grown != current.schema || current.id < 0) {
            current = register(topic, current, grown);
            topics.put(topic, current);
        }
        return frame(current, current.schema.record(row));
    }

    /** The schema a topic is currently written with, or null before its first row. */
    public Schema schemaOf(String topic) {
        TopicSchema current = topics.get(topic);
        return current == null ? null : current.schema.schema();
    }

    private TopicSchema open(String topic, String recordName, String doc) {
        RowSchema empty = RowSchema.empty(recordName, doc);
        String subject = registry.settings().strategy().subject(topic, false, empty.schema());
        try {
            SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
            return new TopicSchema(subject, RowSchema.of(latest.schema()), latest.id());
        } catch (SchemaRegistryException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            return new TopicSchema(subject, empty, -1);
        }
    }

    private TopicSchema register(String topic, TopicSchema current, RowSchema grown) {
        RegistrySettings settings = registry.settings();
        if (settings.useLatestVersion() && grown != current.schema) {
            throw new CuratedEncodingException(
                    "schema-mismatch",
                    "a row of " + topic + " has columns or types that the latest schema of "
                            + current.subject + " lacks, and use.latest.version forbids registering a new version: "
                            + difference(current.schema.schema(), grown.schema()));
        }
        int id;
        try {
            id = settings.autoRegister()
                    ? registry.register(current.subject, grown.schema())
                    : registry.lookup(current.subject, grown.schema());
        } catch (SchemaRegistryException e) {
            if (!settings.autoRegister() && e.isNotFound()) {
                throw new CuratedEncodingException(
                        "schema-not-registered",
                        "a row of " + topic + " needs a schema version that is not " + "registered under "
                                + current.subject + " and auto-registration is off: "
                                + difference(current.schema.schema(), grown.schema()));
            }
            throw e;
        }
        registry.forgetLatest(current.subject);
        return new TopicSchema(current.subject, grown, id);
    }

    private static String difference(Schema before, Schema after) {
        StringBuilder changed = new StringBuilder();
        for (Schema.Field field : after.getFields()) {
            Schema.Field old = before.getField(field.name());
            if (old == null || !old.schema().equals(field.schema())) {
                changed.append(changed.isEmpty() ? "" : ", ")
                        .append(field.name())
                        .append(old == null ? " (new)" : " (type)");
            }
        }
        return changed.isEmpty() ? "no field changes" : changed.toString();
    }

    private byte[] frame(TopicSchema topic, GenericRecord record) {
        buffer.reset();
        try {
            buffer.write(ConfluentWireFormat.header(topic.id));
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            topic.writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to memory", e);
        }
        return buffer.toByteArray();
    }

    /** A topic's subject, schema, registered id (-1 until registered) and datum writer. */
    private static final class TopicSchema {
        final String subject;
        final RowSchema schema;
        final int id;
        final GenericDatumWriter<GenericRecord> writer;

        TopicSchema(String subject, RowSchema schema, int id) {
            this.subject = subject;
            this.schema = schema;
            this.id = id;
            this.writer = new GenericDatumWriter<>(schema.schema(), AvroModel.GENERIC);
        }
    }
}
