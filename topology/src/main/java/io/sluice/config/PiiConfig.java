package io.sluice.config;

import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.MaskingRule;
import io.sluice.pii.PiiKey;
import io.sluice.pii.Pseudonymizer;
import io.sluice.pii.UnlistedColumns;
import java.util.List;
import java.util.Map;

/**
 * The {@code pii:} section.
 *
 * @param key      where the pseudonymisation key comes from, or null if no rule hashes
 * @param keyId    the id written into pseudonyms
 * @param unlisted what happens to columns without a rule
 * @param rules    the rules, in declaration order
 */
public record PiiConfig(SecretRef key, String keyId, UnlistedColumns unlisted, List<MaskingRule> rules) {

    public PiiConfig {
        rules = List.copyOf(rules);
    }

    /** The masking policy, with the key read from the environment or file it is configured in. */
    public MaskingPolicy toPolicy(Map<String, String> environment) {
        Pseudonymizer pseudonymizer = null;
        if (key != null) {
            try {
                pseudonymizer = new Pseudonymizer(PiiKey.fromText(keyId, key.resolve(environment)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key.key(), e.getMessage());
            }
        }
        try {
            return MaskingPolicy.of(rules, unlisted, pseudonymizer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("pii." + e.getMessage().split(" ", 2)[0], e.getMessage().split(" ", 2)[1]);
        }
    }
}
