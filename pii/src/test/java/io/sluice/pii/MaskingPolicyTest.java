package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingPolicyTest {

    private static final Pseudonymizer PSEUDONYMIZER =
            new Pseudonymizer(PiiKey.fromText("1", "test-key-0123456789abcdef-0123456789"));

    @Test
    void dropsColumnsWithoutRuleInAllowListMode() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "id", MaskingAction.KEEP));

        Map<String, Object> masked =
                policy.mask("shop", "users", row("id", 7L, "email", "a@b.com", "city", "Seoul"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("id").containsEntry("id", 7L);
    }

    @Test
    void keepsColumnsWithoutRuleInDenyListMode() {
        MaskingPolicy policy = policy(UnlistedColumns.KEEP, MaskingRule.of(null, "users", "email", MaskingAction.DROP));

        Map<String, Object> masked =
                policy.mask("shop", "users", row("id", 7L, "email", "a@b.com"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("id");
    }

    @Test
    void hashesWithKeyIdAndNeverKeepsTheRawValue() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "email", MaskingAction.HASH));

        Object pseudonym = policy.mask("shop", "users", row("email", "a@b.com"), MaskingObserver.NONE)
                .get("email");

        assertThat(pseudonym)
                .asString()
                .startsWith("k1:")
                .doesNotContain("a@b.com")
                .hasSize(3 + 43);
    }

    @Test
    void exactColumnRuleBeatsWildcardRule() {
        MaskingPolicy policy = policy(
                UnlistedColumns.DROP,
                MaskingRule.of(null, null, "*_name", MaskingAction.DROP),
                MaskingRule.of(null, "users", "screen_name", MaskingAction.KEEP));

        Map<String, Object> masked =
                policy.mask("shop", "users", row("screen_name", "home", "first_name", "Kim"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("screen_name");
    }

    @Test
    void equallySpecificRulesResolveToTheMoreRestrictiveAction() {
        MaskingPolicy policy = policy(
                UnlistedColumns.KEEP,
                MaskingRule.of(null, "users", "*mail", MaskingAction.KEEP),
                MaskingRule.of(null, "users", "e*", MaskingAction.HASH));

        Object value = policy.mask("shop", "users", row("email", "a@b.com"), MaskingObserver.NONE)
                .get("email");

        assertThat(value).asString().startsWith("k1:");
    }

    @Test
    void rejectsTwoRulesWithTheSameSelector() {
        assertThatThrownBy(() -> policy(
                        UnlistedColumns.DROP,
                        MaskingRule.of(null, "users", "email", MaskingAction.KEEP),
                        MaskingRule.of(null, "users", "email", MaskingAction.HASH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules[1]");
    }

    @Test
    void rejectsHashRuleWithoutKey() {
        assertThatThrownBy(() -> MaskingPolicy.of(
                        List.of(MaskingRule.of(null, null, "email", MaskingAction.HASH)), UnlistedColumns.DROP, null))
                .hasMessageContaining("no key");
    }

    @Test
    void rulesSelectBySource() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of("crm", "*", "*", MaskingAction.KEEP));

        assertThat(policy.mask("shop", "users", row("id", 1L), MaskingObserver.NONE))
                .isEmpty();
        assertThat(policy.mask("crm", "users", row("id", 1L), MaskingObserver.NONE))
                .containsOnlyKeys("id");
    }

    @Test
    void observerSeesEveryColumnDecisionButNoValue() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "email", MaskingAction.HASH));
        List<String> seen = new ArrayList<>();

        policy.mask(
                "shop",
                "users",
                row("email", "a@b.com", "phone", "010"),
                (ref, action, byRule) -> seen.add(ref.column() + "=" + action + (byRule ? "" : "(unlisted)")));

        assertThat(seen).containsExactly("email=HASH", "phone=DROP(unlisted)");
    }

    @Test
    void keepsNullsAsNullsWhenHashing() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, null, "email", MaskingAction.HASH));

        assertThat(policy.mask("s", "t", row("email", null), MaskingObserver.NONE))
                .containsEntry("email", null);
    }

    @Test
    void rulesReachInsideStringEncodedJson() {
        MaskingPolicy policy = policy(
                UnlistedColumns.DROP,
                MaskingRule.of("mmp", null, "event_value.email", MaskingAction.HASH),
                MaskingRule.of("mmp", null, "event_value.af_*", MaskingAction.KEEP));

        Map<String, Object> masked = policy.mask(
                "mmp",
                "events",
                row(
                        "event_value",
                        "{\"email\":\"kim@example.com\",\"af_revenue\":\"9.99\",\"phone\":\"010-1234-5678\"}"),
                MaskingObserver.NONE);

        assertThat((String) masked.get("event_value"))
                .startsWith("{\"email\":\"k1:")
                .contains("\"af_revenue\":\"9.99\"")
                .doesNotContain("kim@", "phone", "010-");
    }

    @Test
    void sameEmailGetsTheSamePseudonymInACdcColumnAndInsideEventValue() throws Exception {
        MaskingPolicy policy = policy(
                UnlistedColumns.DROP,
                MaskingRule.of("shop", "users", "email", MaskingAction.HASH),
                MaskingRule.of("mmp", null, "event_value.email", MaskingAction.HASH));

        Object cdc = policy.mask("shop", "users", row("email", "kim@example.com"), MaskingObserver.NONE)
                .get("email");
        String nested = (String) policy.mask(
                        "mmp", "events", row("event_value", "{\"email\":\"kim@example.com\"}"), MaskingObserver.NONE)
                .get("event_value");

        assertThat(nested).isEqualTo("{\"email\":\"" + cdc + "\"}");
    }

    @Test
    void unparsableJsonColumnIsDroppedNeverPassedThrough() {
        MaskingPolicy policy =
                policy(UnlistedColumns.KEEP, MaskingRule.of(null, null, "event_value.email", MaskingAction.HASH));
        List<String> failures = new ArrayList<>();

        Map<String, Object> masked = policy.mask(
                "mmp",
                "events",
                row("event_value", "{\"email\": kim@example.com", "n", 1L),
                observerOfFailures(failures));

        assertThat(masked).containsOnlyKeys("n");
        assertThat(failures).containsExactly("event_value:not-a-json-object");
    }

    @Test
    void ruleThatCannotBeAppliedDropsTheField() {
        MaskingPolicy policy = policy(
                UnlistedColumns.KEEP,
                MaskingRule.of(
                        null,
                        null,
                        "birth_date",
                        MaskingAction.GENERALIZE,
                        Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO)));
        List<String> failures = new ArrayList<>();

        Map<String, Object> masked =
                policy.mask("s", "t", row("birth_date", "unknown", "id", 1L), observerOfFailures(failures));

        assertThat(masked).containsOnlyKeys("id");
        assertThat(failures).containsExactly("birth_date:not-a-date");
    }

    @Test
    void everyActionWritesItsDeclaredShape() {
        MaskingPolicy policy = policy(
                UnlistedColumns.DROP,
                MaskingRule.of(null, null, "phone", MaskingAction.MASK, new PartialMask(0, 4, false)),
                MaskingRule.of(null, null, "full_name", MaskingAction.REDACT),
                MaskingRule.of(
                        null,
                        null,
                        "birth_date",
                        MaskingAction.GENERALIZE,
                        Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO)),
                MaskingRule.of(null, null, "address", MaskingAction.TRUNCATE, new Truncation(5)));

        Map<String, Object> masked = policy.mask(
                "s",
                "t",
                row("phone", "010-1234-5678", "full_name", "Kim", "birth_date", 7305L, "address", "Seoul Gangnam"),
                MaskingObserver.NONE);

        assertThat(masked)
                .containsEntry("phone", "*********5678")
                .containsEntry("full_name", null)
                .containsEntry("birth_date", 1990L)
                .containsEntry("address", "Seoul");
    }

    @Test
    void detectorsMaskPiiInKeptFreeTextAndNestedJson() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                Map.of(
                        Detector.EMAIL,
                        DetectorAction.MASK,
                        Detector.PHONE,
                        DetectorAction.MASK,
                        Detector.KR_RRN,
                        DetectorAction.DROP));
        List<String> hits = new ArrayList<>();
        MaskingObserver observer = new MaskingObserver() {
            @Override
            public void onColumn(ColumnRef ref, MaskingAction action, boolean byRule) {}

            @Override
            public void onDetection(ColumnRef ref, Detector detector) {
                hits.add(ref.column() + ":" + detector.configName());
            }
        };

        Map<String, Object> masked = policy.mask(
                "s",
                "t",
                row(
                        "note", "call 010-1234-5678 or mail kim@example.com",
                        "event_value", "{\"email\":\"lee@example.com\"}",
                        "memo", "rrn 900101-1234568"),
                observer);

        assertThat(masked)
                .containsEntry("note", "call [phone] or mail [email]")
                .containsEntry("event_value", "{\"email\":\"[email]\"}")
                .doesNotContainKey("memo");
        assertThat(hits).containsExactlyInAnyOrder("note:phone", "note:email", "event_value:email", "memo:kr-rrn");
    }

    @Test
    void detectorHashKeepsFreeTextJoinable() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "note", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                Map.of(Detector.EMAIL, DetectorAction.HASH));

        Object note = policy.mask("s", "t", row("note", "from kim@example.com"), MaskingObserver.NONE)
                .get("note");

        assertThat(note).isEqualTo("from " + PSEUDONYMIZER.pseudonym("kim@example.com"));
    }

    private static MaskingObserver observerOfFailures(List<String> failures) {
        return new MaskingObserver() {
            @Override
            public void onColumn(ColumnRef ref, MaskingAction action, boolean byRule) {}

            @Override
            public void onFailure(ColumnRef ref, String reason) {
                failures.add(ref.column() + ":" + reason);
            }
        };
    }

    private static MaskingPolicy policy(UnlistedColumns unlisted, MaskingRule... rules) {
        return MaskingPolicy.of(List.of(rules), unlisted, PSEUDONYMIZER);
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }
}
