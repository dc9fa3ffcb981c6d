package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.serdes.registry.ConfluentWireFormat;
import io.sluice.serdes.registry.InProcessSchemaRegistry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import io.sluice.serdes.registry.SubjectNameStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Debezium's Avro form against its JSON form, over events captured from one PostgreSQL by two engines
 * at once (the e2e module's {@code DebeziumFixtureCapture}): the JSON converter with schemas, and
 * Apicurio's Avro converter in the Confluent wire format. Same transactions, same LSNs: the decoded
 * records must be equal, event for event (snapshot reads apart from their read time and position).
 */
class DebeziumAvroDecoderTest {
    private static final String SCOPE = "debezium-avro-decoder-test";
    private final SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://" + SCOPE));

    @AfterEach
    void dropScope() {
        InProcessSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void decodesEveryCapturedAvroEventExactlyAsItsJsonTwin() throws Exception {
        List<String> json = lines("/debezium/postgres-pair-json.jsonl");
        List<String> avro = lines("/debezium/postgres-pair-avro.jsonl");
        assertThat(avro).hasSameSizeAs(json).hasSize(12);

        for (int i = 0; i < json.size(); i++) {
            JsonNode j = JsonTree.MAPPER.readTree(json.get(i));
            JsonNode a = JsonTree.MAPPER.readTree(avro.get(i));
            String table = table(j);
            DecodeOutcome fromJson = new DebeziumJsonDecoder(table).decode(text(j.get("key")), text(j.get("value")));
            DecodeOutcome fromAvro =
                    new DebeziumAvroDecoder(table, registry).decode(framed(a, "key"), framed(a, "value"));
            if (fromJson instanceof DecodedRecord r && r.op().equals("r")) {
                // Each engine took its own snapshot: same rows, but its own read time and position.
                assertThat(fromAvro)
                        .as("snapshot event %d", i)
                        .usingRecursiveComparison()
                        .ignoringFields("eventTimeMs", "position")
                        .isEqualTo(fromJson);
            } else {
                // The sequence pair's first element is each connector's last commit LSN: its own memory, not the
                // change's.
                assertThat(fromAvro)
                        .as("event %d (%s)", i, fromJson)
                        .usingRecursiveComparison()
                        .ignoringFields("position.sequence")
                        .isEqualTo(fromJson);
            }
        }
    }

    @Test
    void decodesLogicalTypesFromTheConnectSchemaInTheAvroSchema() throws Exception {
        JsonNode snapshot = JsonTree.MAPPER.readTree(
                lines("/debezium/postgres-pair-avro.jsonl").get(0));

        DecodedRecord row = (DecodedRecord)
                new DebeziumAvroDecoder("users", registry).decode(framed(snapshot, "key"), framed(snapshot, "value"));

        assertThat(row.op()).isEqualTo("r");
        assertThat(row.row())
                .containsEntry("balance", new BigDecimal("1234.50"))
                .containsEntry("birth_date", "1990-03-01")
                .containsEntry("name", "김민준")
                .containsEntry("created_at", "2024-05-01T00:30:00.000000Z");
        assertThat(row.key()).containsEntry("id", 1L);
        assertThat(row.position().lsn()).isNotNull();
    }

    @Test
    void decodesAvroNanInfinityAndTwentyFourHundredAsTheirJsonTwinDoes() throws Exception {
        Schema row = new Schema.Parser().parse("""
                {"type":"record","name":"Value","fields":[
                  {"name":"t","type":{"type":"long","connect.name":"io.debezium.time.MicroTime"}},
                  {"name":"f8","type":["null","double"]},
                  {"name":"f4","type":"float"},
                  {"name":"d","type":{"type":"int","connect.name":"io.debezium.time.Date"}}]}""");
        Schema envelope = org.apache.avro.SchemaBuilder.record("Envelope")
                .namespace("shop.public.edge")
                .fields()
                .name("op")
                .type()
                .stringType()
                .noDefault()
                .name("after")
                .type()
                .optional()
                .type(row)
                .name("source")
                .type()
                .record("Source")
                .fields()
                .requiredLong("ts_ms")
                .endRecord()
                .noDefault()
                .endRecord();
        org.apache.avro.generic.GenericRecord after = new org.apache.avro.generic.GenericData.Record(row);
        after.put("t", 86_400_000_000L);
        after.put("f8", Double.NaN);
        after.put("f4", Float.NEGATIVE_INFINITY);
        after.put("d", -2_147_472_692);
        org.apache.avro.generic.GenericRecord source = new org.apache.avro.generic.GenericData.Record(
                envelope.getField("source").schema());
        source.put("ts_ms", 1L);
        org.apache.avro.generic.GenericRecord value = new org.apache.avro.generic.GenericData.Record(envelope);
        value.put("op", "c");
        value.put("after", after);
        value.put("source", source);

        DecodedRecord decoded =
                (DecodedRecord) new DebeziumAvroDecoder("edge", registry).decode(null, avro(envelope, value));

        assertThat(decoded.row())
                .containsEntry("t", "24:00:00")
                .containsEntry("f8", Double.NaN)
                .containsEntry("f4", Double.NEGATIVE_INFINITY)
                .containsEntry("d", "infinity");
    }

    @Test
    void anUnknownSchemaIdIsADecodeFailureWithItsOwnReason() {
        byte[] unknown = new byte[] {0, 0, 0, 0x7f, 0x7f, 2};

        assertThatThrownBy(() -> new DebeziumAvroDecoder("users", registry).decode(null, unknown))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("schema id 32639")
                .extracting(e -> ((DecodeException) e).reason())
                .isEqualTo("unknown-schema-id");
    }

    @Test
    void anUnreachableRegistryIsNotADecodeFailureButARetriableRegistryError() {
        SchemaRegistry down = SchemaRegistry.connect(new RegistrySettings(
                "http://127.0.0.1:1", null, null, SubjectNameStrategy.TOPIC, true, false, Duration.ofSeconds(1), 10));

        assertThatThrownBy(() -> new DebeziumAvroDecoder("users", down).decode(null, new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }

    @Test
    void jsonOnAnAvroTopicIsNamedAsSuch() {
        assertThatThrownBy(() -> new DebeziumAvroDecoder("users", registry)
                        .decode(null, "{\"op\":\"c\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("not Avro in the Confluent wire format")
                .extracting(e -> ((DecodeException) e).reason())
                .isEqualTo("not-avro");
    }

    @Test
    void bytesThatDoNotMatchTheirSchemaAreMalformedWithoutQuotingThem() throws Exception {
        JsonNode snapshot = JsonTree.MAPPER.readTree(
                lines("/debezium/postgres-pair-avro.jsonl").get(0));
        byte[] value = framed(snapshot, "value");
        byte[] truncated = java.util.Arrays.copyOf(value, 12);

        assertThatThrownBy(() -> new DebeziumAvroDecoder("users", registry).decode(null, truncated))
                .isInstanceOf(DecodeException.class)
                .hasMessageNotContaining("kim")
                .extracting(e -> ((DecodeException) e).reason())
                .isEqualTo("malformed-avro");
    }

    private byte[] framed(JsonNode line, String field) {
        if (line.get(field).isNull()) {
            return null;
        }
        Schema schema = new Schema.Parser().parse(line.get(field + "Schema").asText());
        int id = registry.register(line.get("topic").asText() + "-" + field, schema);
        byte[] body = Base64.getDecoder().decode(line.get(field).asText());
        byte[] out = new byte[ConfluentWireFormat.HEADER_LENGTH + body.length];
        System.arraycopy(ConfluentWireFormat.header(id), 0, out, 0, ConfluentWireFormat.HEADER_LENGTH);
        System.arraycopy(body, 0, out, ConfluentWireFormat.HEADER_LENGTH, body.length);
        return out;
    }

    private byte[] avro(Schema schema, Object datum) throws IOException {
        int id = registry.register("shop.public.edge-value", schema);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(ConfluentWireFormat.header(id));
        org.apache.avro.io.BinaryEncoder encoder =
                org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String table(JsonNode line) {
        String topic = line.get("topic").asText();
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = DebeziumAvroDecoderTest.class.getResourceAsStream(resource)) {
            return new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList());
        }
    }
}
