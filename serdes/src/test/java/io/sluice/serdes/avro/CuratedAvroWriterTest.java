package io.sluice.serdes.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.CuratedEncodingException;
import io.sluice.serdes.registry.InProcessSchemaRegistry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import io.sluice.serdes.registry.SubjectNameStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CuratedAvroWriterTest {
    private static final String SCOPE = "curated-avro-writer-test";
    private static final String TOPIC = "curated.shop.orders";
    private static final String RECORD = "io.sluice.curated.shop.orders";

    private final SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://" + SCOPE));
    private final CuratedAvroWriter writer = new CuratedAvroWriter(registry);
    private final CuratedAvroReader reader = new CuratedAvroReader(registry);

    @AfterEach
    void dropScope() {
        InProcessSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void roundTripsEveryValueTypeUnderTheTopicSubject() {
        Map<String, Object> row = row(
                "id", 7L, "total", new BigDecimal("12.50"), "ratio", 0.25, "paid", true, "note", "한국어", "gone", null);

        Map<String, Object> back = reader.read(write(row));

        row.put("total", new BigDecimal("12.500000")); // decimal columns hold at least six places
        assertThat(back).containsExactlyEntriesOf(row);
        assertThat(registry.latest(TOPIC + "-value")
                        .schema()
                        .getField("total")
                        .schema()
                        .getTypes()
                        .get(1)
                        .getLogicalType()
                        .getName())
                .isEqualTo("decimal");
    }

    @Test
    void aProjectingReaderReadsOnlyItsColumnsWithTheSameValues() {
        Map<String, Object> row =
                row("id", 7L, "total", new BigDecimal("12.50"), "note", "한국어", "weird column!", "x", "paid", true);
        byte[] framed = write(row);
        CuratedAvroReader projecting =
                CuratedAvroReader.projecting(registry, java.util.List.of("paid", "total", "weird column!", "absent"));

        Map<String, Object> full = reader.read(framed);
        Map<String, Object> projected = projecting.read(framed);

        assertThat(projected)
                .as("in schema order, a column the schema lacks left out")
                .containsExactly(
                        Map.entry("total", full.get("total")),
                        Map.entry("weird column!", "x"),
                        Map.entry("paid", true));
        assertThat(projecting.readTree(framed).get("total").decimalValue()).isEqualByComparingTo("12.50");
    }

    @Test
    void newColumnRegistersACompatibleVersionAndOldRecordsStillRead() {
        byte[] first = write(row("id", 1L));
        byte[] second = write(row("id", 2L, "coupon", "SPRING"));

        assertThat(registry.latest(TOPIC + "-value").version()).isEqualTo(2);
        assertThat(reader.read(first)).containsExactlyEntriesOf(row("id", 1L));
        assertThat(reader.read(second)).containsEntry("coupon", "SPRING");
    }

    @Test
    void longColumnSeeingAFractionIsWidenedToDouble() {
        write(row("amount", 3L));
        byte[] fraction = write(row("amount", 2.5));
        byte[] whole = write(row("amount", 4L));

        assertThat(reader.read(fraction)).containsEntry("amount", 2.5);
        assertThat(reader.read(whole)).containsEntry("amount", 4.0);
        assertThat(unionOf("amount")).extracting(Schema::getType).containsExactly(Schema.Type.NULL, Schema.Type.DOUBLE);
    }

    @Test
    void columnChangingTypeGainsABranchInsteadOfFailing() {
        write(row("code", 3L));
        byte[] text = write(row("code", "A-3"));

        assertThat(reader.read(text)).containsEntry("code", "A-3");
        assertThat(unionOf("code"))
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.LONG, Schema.Type.STRING);
    }

    @Test
    void decimalNeedingMorePlacesThanTheColumnsScaleIsKeptExactAsTextNotRounded() {
        write(row("price", new BigDecimal("1.50")));
        assertThat(reader.read(write(row("price", new BigDecimal("3")))))
                .containsEntry("price", new BigDecimal("3.000000"));
        assertThat(reader.read(write(row("price", new BigDecimal("1.505")))))
                .containsEntry("price", new BigDecimal("1.505000"));

        byte[] precise = write(row("price", new BigDecimal("1.5050001")));

        assertThat(reader.read(precise)).containsEntry("price", "1.5050001");
        assertThat(unionOf("price"))
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.BYTES, Schema.Type.STRING);
        assertThat(reader.read(write(row("price", new BigDecimal("2.25")))))
                .containsEntry("price", new BigDecimal("2.250000"));
    }

    @Test
    void aColumnMixingNumbersAndNanTextKeepsEveryValue() {
        write(row("f8", "NaN"));
        byte[] huge = write(row("f8", new BigDecimal("1.7976931348623157E+308")));
        byte[] small = write(row("f8", new BigDecimal("1.5")));
        byte[] nan = write(row("f8", Double.NaN));
        byte[] infinity = write(row("f8", "Infinity"));

        assertThat(reader.read(huge).get("f8")).isEqualTo(new BigDecimal("1.7976931348623157E+308").toPlainString());
        assertThat(reader.read(small)).containsEntry("f8", new BigDecimal("1.500000"));
        assertThat(reader.read(nan)).containsEntry("f8", Double.NaN);
        assertThat(reader.read(infinity)).containsEntry("f8", "Infinity");
    }

    @Test
    void aNumberBeyondTheBoundsIsRefusedBeforeItIsFormatted() {
        write(row("price", new BigDecimal("1.50")));

        for (String text : new String[] {"1e-2000000000", "1e999999999"}) {
            assertThatThrownBy(() -> write(row("price", new BigDecimal(text))))
                    .isInstanceOf(CuratedEncodingException.class)
                    .hasMessageStartingWith("column price holds a number beyond")
                    .satisfies(e ->
                            assertThat(((CuratedEncodingException) e).reason()).isEqualTo("number-out-of-range"));
        }
    }

    @Test
    void invalidAvroNamesAreReplacedAndTheSourceNameReadBack() {
        byte[] bytes = write(row("event-name", "open", "1st", 1L));

        assertThat(reader.read(bytes)).containsOnlyKeys("event-name", "1st");
        assertThat(registry.latest(TOPIC + "-value").schema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("event_name", "_1st");
    }

    @Test
    void aRestartedWriterContinuesTheRegisteredLineage() {
        write(row("id", 1L, "email", "x"));
        CuratedAvroWriter restarted = new CuratedAvroWriter(registry);

        restarted.write(TOPIC, RECORD, "orders", Map.of(), row("id", 2L));

        assertThat(registry.latest(TOPIC + "-value").version()).isEqualTo(1);
        assertThat(restarted.schemaOf(TOPIC).getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "email");
    }

    @Test
    void useLatestVersionRejectsRowsTheRegisteredSchemaCannotHold() {
        write(row("id", 1L));
        CuratedAvroWriter governed = new CuratedAvroWriter(SchemaRegistry.connect(new RegistrySettings(
                "mock://" + SCOPE, null, null, SubjectNameStrategy.TOPIC, false, true, Duration.ofSeconds(1), 100)));

        assertThat(governed.write(TOPIC, RECORD, "orders", Map.of(), row("id", 2L)))
                .isNotEmpty();
        assertThatThrownBy(() -> governed.write(TOPIC, RECORD, "orders", Map.of(), row("id", 3L, "extra", "x")))
                .isInstanceOf(CuratedEncodingException.class)
                .hasMessageContaining("extra (new)");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredVersionIsAClearError() {
        CuratedAvroWriter strict = new CuratedAvroWriter(SchemaRegistry.connect(new RegistrySettings(
                "mock://" + SCOPE, null, null, SubjectNameStrategy.TOPIC, false, false, Duration.ofSeconds(1), 100)));

        assertThatThrownBy(() -> strict.write(TOPIC, RECORD, "orders", Map.of(), row("id", 1L)))
                .isInstanceOf(CuratedEncodingException.class)
                .extracting(e -> ((CuratedEncodingException) e).reason())
                .isEqualTo("schema-not-registered");
    }

    @Test
    void anUnreachableRegistryIsARetriableRegistryError() {
        CuratedAvroWriter offline = new CuratedAvroWriter(SchemaRegistry.connect(new RegistrySettings(
                "http://127.0.0.1:1", null, null, SubjectNameStrategy.TOPIC, true, false, Duration.ofSeconds(1), 100)));

        assertThatThrownBy(() -> offline.write(TOPIC, RECORD, "orders", Map.of(), row("id", 1L)))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }

    @Test
    void columnDocsDocumentTheSchema() {
        writer.write(TOPIC, RECORD, "Orders of shop", Map.of("id", "order id"), row("id", 1L, "other", 2L));

        Schema schema = registry.latest(TOPIC + "-value").schema();
        assertThat(schema.getDoc()).isEqualTo("Orders of shop");
        assertThat(schema.getField("id").doc()).isEqualTo("order id");
        assertThat(schema.getField("other").doc()).contains("other");
    }

    private byte[] write(Map<String, Object> row) {
        return writer.write(TOPIC, RECORD, "orders", Map.of(), row);
    }

    private java.util.List<Schema> unionOf(String field) {
        return registry.latest(TOPIC + "-value")
                .schema()
                .getField(field)
                .schema()
                .getTypes();
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
