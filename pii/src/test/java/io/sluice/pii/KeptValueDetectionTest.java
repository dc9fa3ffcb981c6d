package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detectors over what the rules keep: numbers, JSON at every level, field names. */
class KeptValueDetectionTest {
    private static final Pseudonymizer PSEUDONYMIZER =
            new Pseudonymizer(PiiKey.fromText("1", "test-key-0123456789abcdef-0123456789"));
    private static final String VISA = "4111111111111111";

    private final Observed observed = new Observed();

    @Test
    void nullsACardNumberInAnIntegerColumn() {
        Map<String, Object> masked =
                keepAll().mask("s", "t", row("card_no", Long.parseLong(VISA), "id", 12345678L), observed);

        assertThat(masked).containsEntry("card_no", null).containsEntry("id", 12345678L);
        assertThat(observed.detections).containsExactly("card_no:card");
    }

    @Test
    void readsWholeNumbersOfEveryJavaType() {
        Map<String, Object> masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row(
                                "big_integer", new BigInteger(VISA),
                                "big_decimal", new BigDecimal("4.111111111111111E+15"),
                                "with_zero_fraction", new BigDecimal(VISA + ".000"),
                                "double", 4.111111111111111E15,
                                "fraction", new BigDecimal(VISA + ".5")),
                        observed);

        assertThat(masked)
                .containsEntry("big_integer", null)
                .containsEntry("big_decimal", null)
                .containsEntry("with_zero_fraction", null)
                .containsEntry("double", null)
                .containsEntry("fraction", new BigDecimal(VISA + ".5"));
    }

    @Test
    void dropsANumberColumnWhenTheDetectorDrops() {
        MaskingPolicy policy = keepAll(Map.of(Detector.CARD, DetectorAction.DROP));

        assertThat(policy.mask("s", "t", row("card_no", Long.parseLong(VISA), "id", 1L), observed))
                .containsOnlyKeys("id");
    }

    @Test
    void findsPhoneNumbersThatArriveAsNumbers() {
        Map<String, Object> masked = keepAll()
                .mask("s", "t", row("msisdn", 821012345678L, "phone", 1012345678L, "user_id", 1012345678L), observed);

        assertThat(masked)
                .containsEntry("msisdn", null)
                .containsEntry("phone", null)
                .containsEntry("user_id", 1012345678L);
    }

    @Test
    void findsAnRrnNumberThatLostItsLeadingZeroUnderItsName() {
        Map<String, Object> masked = keepAll().mask("s", "t", row("rrn", 503154123451L), observed);

        assertThat(masked).containsEntry("rrn", null);
    }

    @Test
    void findsBareRrnWithoutCheckDigitInAColumnNamedForIt() {
        Map<String, Object> masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row(
                                "jumin_no",
                                "0503154123451",
                                "residentRegistrationNumber",
                                "0503154123451",
                                "memo",
                                "0503154123451"),
                        observed);

        assertThat(masked)
                .containsEntry("jumin_no", "[kr-rrn]")
                .containsEntry("residentRegistrationNumber", "[kr-rrn]")
                .containsEntry("memo", "0503154123451");
    }

    @Test
    void findsBareRrnUnderAJsonKeyNamedForIt() {
        Object masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row("payload", "{\"customer\":{\"rrn\":\"0503154123451\",\"ref\":\"0503154123451\"}}"),
                        observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"customer\":{\"rrn\":\"[kr-rrn]\",\"ref\":\"0503154123451\"}}");
    }

    @Test
    void masksANumberInsideJsonTextAsText() {
        Object masked = keepAll()
                .mask("s", "t", row("payload", "{\"card\":" + VISA + ",\"qty\":2}"), observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"card\":\"[card]\",\"qty\":2}");
        assertThat(observed.detections).containsExactly("payload:card");
    }

    @Test
    void masksEveryLevelOfANestedObject() {
        Object masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row("payload", "{\"user\":{\"contact\":{\"email\":\"kim@example.com\"}},\"n\":1}"),
                        observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"user\":{\"contact\":{\"email\":\"[email]\"}},\"n\":1}");
    }

    @Test
    void masksEveryElementOfNestedArrays() {
        Object masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row("payload", "[{\"to\":[\"kim@example.com\",\"lee@example.com\"]},[\"010-1234-5678\"]]"),
                        observed)
                .get("payload");

        assertThat(masked).isEqualTo("[{\"to\":[\"[email]\",\"[email]\"]},[\"[phone]\"]]");
        assertThat(observed.detections).containsExactlyInAnyOrder("payload:email", "payload:phone");
    }

    @Test
    void masksNestedValuesUnderAKeptJsonColumnDescendedIntoByRules() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(
                        MaskingRule.of("mmp", null, "event_value.email", MaskingAction.HASH),
                        MaskingRule.of("mmp", null, "event_value.*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));

        Object masked = policy.mask(
                        "mmp",
                        "events",
                        row(
                                "event_value",
                                "{\"af_items\":[{\"buyer\":\"lee@example.com\",\"price\":9.99}],\"af_meta\":{\"card\":"
                                        + VISA + "},\"af_card\":" + VISA + "}"),
                        observed)
                .get("event_value");

        assertThat(masked)
                .isEqualTo("{\"af_items\":[{\"buyer\":\"[email]\",\"price\":9.99}],\"af_meta\":{\"card\":\"[card]\"},"
                        + "\"af_card\":\"[card]\"}");
    }

    @Test
    void nullsANumberUnderADecodedColumnDescendedIntoByRules() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "event_value.*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));
        Map<String, Object> eventValue =
                row("af_card", Long.parseLong(VISA), "af_meta", row("pan", Long.parseLong(VISA)));

        Object masked = policy.mask("mmp", "events", row("event_value", eventValue), observed)
                .get("event_value");

        assertThat(masked).isEqualTo(row("af_card", null, "af_meta", row("pan", null)));
    }

    @Test
    void masksDecodedMapsAndListsWithoutChangingTheInput() {
        Map<String, Object> inner =
                new LinkedHashMap<>(row("email", "kim@example.com", "card", Long.parseLong(VISA), "n", 3L));
        List<Object> items = new ArrayList<>(List.of(inner, "plain"));
        Map<String, Object> payload = new LinkedHashMap<>(row("items", items));

        Object masked =
                keepAll().mask("s", "t", row("payload", payload), observed).get("payload");

        assertThat(masked).isEqualTo(Map.of("items", List.of(row("email", "[email]", "card", null, "n", 3L), "plain")));
        assertThat(inner).containsEntry("email", "kim@example.com");
    }

    @Test
    void returnsJsonWithNothingFoundByteForByte() {
        String json = "{ \"a\" : [1, 2.50, \"x\"],\n \"ts\": 1763700000000 }";

        assertThat(keepAll().mask("s", "t", row("payload", json), observed).get("payload"))
                .isSameAs(json);
    }

    @Test
    void dropsATopLevelFieldWhoseNameIsAnEmailAddress() {
        MaskingPolicy policy =
                MaskingPolicy.of(List.of(), UnlistedColumns.KEEP, PSEUDONYMIZER, allDetectors(DetectorAction.MASK));

        Map<String, Object> masked = policy.mask("s", "t", row("kim@example.com", true, "id", 1L), observed);

        assertThat(masked).containsOnlyKeys("id");
        assertThat(observed.detections).containsExactly("[email]:email");
        assertThat(observed.failures).containsExactly("[email]:pii-in-field-name");
        assertThat(observed.columns).contains("[email]=DROP").noneMatch(c -> c.contains("kim"));
    }

    @Test
    void dropsANestedFieldWhoseNameIsAnEmailAddressUnderRules() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "event_value.*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));

        Object masked = policy.mask("s", "t", row("event_value", "{\"kim@example.com\":1,\"af_level\":2}"), observed)
                .get("event_value");

        assertThat(masked).isEqualTo("{\"af_level\":2}");
        assertThat(observed.failures).containsExactly("event_value.[email]:pii-in-field-name");
    }

    @Test
    void replacesAFieldNameThatIsAnEmailAddressInsideKeptJson() {
        Object masked = keepAll()
                .mask("s", "t", row("payload", "{\"scores\":{\"kim@example.com\":3}}"), observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"scores\":{\"[email]\":3}}");
        assertThat(observed.detections).containsExactly("payload:email");
    }

    @Test
    void hashesAFieldNameWhenTheDetectorHashes() {
        MaskingPolicy policy = keepAll(Map.of(Detector.EMAIL, DetectorAction.HASH));

        Object masked = policy.mask("s", "t", row("payload", "{\"kim@example.com\":3}"), observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"" + PSEUDONYMIZER.pseudonym("kim@example.com") + "\":3}");
    }

    @Test
    void dropsAFieldWhoseMaskedNameIsTakenRatherThanOverwrite() {
        Object masked = keepAll()
                .mask("s", "t", row("payload", "{\"kim@example.com\":1,\"lee@example.com\":2}"), observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"[email]\":1}");
        assertThat(observed.failures).containsExactly("payload:field-name-collision");
    }

    @Test
    void dropsOnlyTheNestedValueWhenTheDetectorDrops() {
        MaskingPolicy policy =
                keepAll(Map.of(Detector.EMAIL, DetectorAction.DROP, Detector.PHONE, DetectorAction.REDACT));

        Object masked = policy.mask(
                        "s",
                        "t",
                        row("payload", "{\"a\":\"kim@example.com\",\"b\":[\"010-1234-5678\",1],\"c\":1}"),
                        observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"b\":[null,1],\"c\":1}");
    }

    @Test
    void readsUnicodeEscapesInJsonText() {
        Object masked = keepAll()
                .mask("s", "t", row("payload", "{\"a\":\"kim\\u0040example.com\"}"), observed)
                .get("payload");

        assertThat(masked).isEqualTo("{\"a\":\"[email]\"}");
    }

    @Test
    void scansJsonWithTrailingTextOrARepeatedKeyAsPlainText() {
        Map<String, Object> masked = keepAll()
                .mask(
                        "s",
                        "t",
                        row(
                                "trailing", "{\"a\":1} kim@example.com {\"b\":2}",
                                "repeated", "{\"a\":\"lee@example.com\",\"a\":\"x\"}"),
                        observed);

        assertThat(masked)
                .containsEntry("trailing", "{\"a\":1} [email] {\"b\":2}")
                .containsEntry("repeated", "{\"a\":\"[email]\",\"a\":\"x\"}");
    }

    @Test
    void masksFullWidthTextInPlaceCoveringTheOriginalCharacters() {
        Object masked = keepAll()
                .mask("s", "t", row("memo", "주민번호 ０５０３１５－４１２３４５１, 메일 kim＠exa\u200Bmple．com."), observed)
                .get("memo");

        assertThat(masked).isEqualTo("주민번호 [kr-rrn], 메일 [email].");
    }

    @Test
    void hashesTheFoldedFormSoFullWidthAndAsciiJoin() {
        MaskingPolicy policy = keepAll(Map.of(Detector.EMAIL, DetectorAction.HASH));

        Object masked =
                policy.mask("s", "t", row("memo", "ｋｉｍ＠example.com"), observed).get("memo");

        assertThat(masked).isEqualTo(PSEUDONYMIZER.pseudonym("kim@example.com"));
    }

    private static MaskingPolicy keepAll() {
        return keepAll(allDetectors(DetectorAction.MASK));
    }

    private static MaskingPolicy keepAll(Map<Detector, DetectorAction> detectors) {
        return MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                detectors);
    }

    static Map<Detector, DetectorAction> allDetectors(DetectorAction action) {
        Map<Detector, DetectorAction> all = new EnumMap<>(Detector.class);
        for (Detector d : Detector.values()) {
            all.put(d, action);
        }
        return all;
    }

    static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** Records what the observer is told, as "column:detector", "column:reason" and "column=ACTION". */
    static final class Observed implements MaskingObserver {
        final List<String> columns = new ArrayList<>();
        final List<String> detections = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public void onColumn(ColumnRef ref, MaskingAction action, boolean byRule) {
            columns.add(ref.column() + "=" + action);
        }

        @Override
        public void onDetection(ColumnRef ref, Detector detector) {
            detections.add(ref.column() + ":" + detector.configName());
        }

        @Override
        public void onFailure(ColumnRef ref, String reason) {
            failures.add(ref.column() + ":" + reason);
        }
    }
}
