package io.sluice.pii;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The declarative masking policy: rules, the unlisted-column mode and the pseudonym key, applied
 * to one row at a time. Stateless apart from a decision cache, and safe to share between threads.
 *
 * <p>Precedence: the most specific rule wins (an exact column name beats a wildcard, then an exact
 * table, then an exact source). Two rules with the same selector are a configuration error; two
 * different selectors of equal specificity that both match a column resolve to the more
 * restrictive action (fail-closed).
 */
public final class MaskingPolicy {
    // Bounded so that a source sending ever-new field names cannot grow the heap without limit.
    private static final int MAX_CACHED_DECISIONS = 10_000;

    private final List<MaskingRule> rules;
    private final UnlistedColumns unlisted;
    private final Pseudonymizer pseudonymizer;
    private final Map<ColumnRef, Decision> decisions = new ConcurrentHashMap<>();

    private MaskingPolicy(List<MaskingRule> rules, UnlistedColumns unlisted, Pseudonymizer pseudonymizer) {
        this.rules = List.copyOf(rules);
        this.unlisted = Objects.requireNonNull(unlisted, "unlisted");
        this.pseudonymizer = pseudonymizer;
    }

    /**
     * Builds a policy, rejecting duplicate selectors and hash rules without a key.
     *
     * @param pseudonymizer may be null only if no rule hashes
     * @throws IllegalArgumentException naming the offending rule
     */
    public static MaskingPolicy of(List<MaskingRule> rules, UnlistedColumns unlisted, Pseudonymizer pseudonymizer) {
        List<MaskingRule> seen = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            MaskingRule rule = rules.get(i);
            for (MaskingRule earlier : seen) {
                if (earlier.sameSelector(rule)) {
                    throw new IllegalArgumentException("rules[" + i + "] selects the same columns as an earlier rule "
                            + earlier + "; keep one of them");
                }
            }
            if (rule.action() == MaskingAction.HASH && pseudonymizer == null) {
                throw new IllegalArgumentException("rules[" + i + "] hashes but no key is configured (pii.key)");
            }
            seen.add(rule);
        }
        return new MaskingPolicy(rules, unlisted, pseudonymizer);
    }

    /**
     * Masks one row. The result holds only the columns that survive, in their original order.
     *
     * @param source the source name
     * @param table  the table name
     * @param row    column name to decoded value; not modified
     */
    public Map<String, Object> mask(String source, String table, Map<String, Object> row, MaskingObserver observer) {
        Map<String, Object> out = new LinkedHashMap<>(row.size() * 2);
        for (Map.Entry<String, Object> column : row.entrySet()) {
            ColumnRef ref = new ColumnRef(source, table, column.getKey());
            Decision decision = decide(ref);
            observer.onColumn(ref, decision.action(), decision.byRule());
            switch (decision.action()) {
                case KEEP -> out.put(column.getKey(), column.getValue());
                case HASH -> out.put(column.getKey(), column.getValue() == null ? null : pseudonymizer.pseudonym(column.getValue()));
                case DROP -> { }
            }
        }
        return out;
    }

    /** The action this policy takes for a column, and whether a rule decided it. */
    public Decision decide(ColumnRef ref) {
        Decision cached = decisions.get(ref);
        if (cached != null) {
            return cached;
        }
        Decision decision = resolve(ref);
        if (decisions.size() < MAX_CACHED_DECISIONS) {
            decisions.put(ref, decision);
        }
        return decision;
    }

    private Decision resolve(ColumnRef ref) {
        MaskingRule best = null;
        for (MaskingRule rule : rules) {
            if (!rule.selects(ref)) {
                continue;
            }
            if (best == null || rule.specificity() > best.specificity()
                    || (rule.specificity() == best.specificity()
                        && rule.action().restrictiveness() > best.action().restrictiveness())) {
                best = rule;
            }
        }
        if (best != null) {
            return new Decision(best.action(), true);
        }
        return new Decision(unlisted == UnlistedColumns.KEEP ? MaskingAction.KEEP : MaskingAction.DROP, false);
    }

    /** The rules in declaration order. */
    public List<MaskingRule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /** The unlisted-column mode. */
    public UnlistedColumns unlisted() {
        return unlisted;
    }

    /** A column decision. */
    public record Decision(MaskingAction action, boolean byRule) {
    }
}
