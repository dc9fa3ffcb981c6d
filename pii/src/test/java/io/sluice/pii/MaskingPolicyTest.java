package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingPolicyTest {

    private static final Pseudonymizer PSEUDONYMIZER = new Pseudonymizer(PiiKey.fromText("1", "test-key-0123456789abcdef"));

    @Test
    void dropsColumnsWithoutRuleInAllowListMode() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "id", MaskingAction.KEEP));

        Map<String, Object> masked = policy.mask("shop", "users", row("id", 7L, "email", "a@b.com", "city", "Seoul"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("id").containsEntry("id", 7L);
    }

    @Test
    void keepsColumnsWithoutRuleInDenyListMode() {
        MaskingPolicy policy = policy(UnlistedColumns.KEEP, MaskingRule.of(null, "users", "email", MaskingAction.DROP));

        Map<String, Object> masked = policy.mask("shop", "users", row("id", 7L, "email", "a@b.com"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("id");
    }

    @Test
    void hashesWithKeyIdAndNeverKeepsTheRawValue() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "email", MaskingAction.HASH));

        Object pseudonym = policy.mask("shop", "users", row("email", "a@b.com"), MaskingObserver.NONE).get("email");

        assertThat(pseudonym).asString().startsWith("k1:").doesNotContain("a@b.com").hasSize(3 + 43);
    }

    @Test
    void exactColumnRuleBeatsWildcardRule() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP,
                MaskingRule.of(null, null, "*_name", MaskingAction.DROP),
                MaskingRule.of(null, "users", "screen_name", MaskingAction.KEEP));

        Map<String, Object> masked = policy.mask("shop", "users",
                row("screen_name", "home", "first_name", "Kim"), MaskingObserver.NONE);

        assertThat(masked).containsOnlyKeys("screen_name");
    }

    @Test
    void equallySpecificRulesResolveToTheMoreRestrictiveAction() {
        MaskingPolicy policy = policy(UnlistedColumns.KEEP,
                MaskingRule.of(null, "users", "*mail", MaskingAction.KEEP),
                MaskingRule.of(null, "users", "e*", MaskingAction.HASH));

        Object value = policy.mask("shop", "users", row("email", "a@b.com"), MaskingObserver.NONE).get("email");

        assertThat(value).asString().startsWith("k1:");
    }

    @Test
    void rejectsTwoRulesWithTheSameSelector() {
        assertThatThrownBy(() -> policy(UnlistedColumns.DROP,
                MaskingRule.of(null, "users", "email", MaskingAction.KEEP),
                MaskingRule.of(null, "users", "email", MaskingAction.HASH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules[1]");
    }

    @Test
    void rejectsHashRuleWithoutKey() {
        assertThatThrownBy(() -> MaskingPolicy.of(List.of(MaskingRule.of(null, null, "email", MaskingAction.HASH)),
                UnlistedColumns.DROP, null))
                .hasMessageContaining("no key");
    }

    @Test
    void rulesSelectBySource() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of("crm", "*", "*", MaskingAction.KEEP));

        assertThat(policy.mask("shop", "users", row("id", 1L), MaskingObserver.NONE)).isEmpty();
        assertThat(policy.mask("crm", "users", row("id", 1L), MaskingObserver.NONE)).containsOnlyKeys("id");
    }

    @Test
    void observerSeesEveryColumnDecisionButNoValue() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, "users", "email", MaskingAction.HASH));
        List<String> seen = new ArrayList<>();

        policy.mask("shop", "users", row("email", "a@b.com", "phone", "010"),
                (ref, action, byRule) -> seen.add(ref.column() + "=" + action + (byRule ? "" : "(unlisted)")));

        assertThat(seen).containsExactly("email=HASH", "phone=DROP(unlisted)");
    }

    @Test
    void keepsNullsAsNullsWhenHashing() {
        MaskingPolicy policy = policy(UnlistedColumns.DROP, MaskingRule.of(null, null, "email", MaskingAction.HASH));

        assertThat(policy.mask("s", "t", row("email", null), MaskingObserver.NONE)).containsEntry("email", null);
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
