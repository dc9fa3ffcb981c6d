package io.sluice.config;

import io.sluice.pii.Detector;
import io.sluice.pii.DetectorAction;
import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.MaskingRule;
import io.sluice.pii.PiiKey;
import io.sluice.pii.Pseudonymizer;
import io.sluice.pii.UnlistedColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pii:} section.
 *
 * @param keys      the pseudonymisation keys, writer first; empty if nothing hashes
 * @param hex       hexadecimal pseudonyms instead of base64url
 * @param unlisted  what happens to fields without a rule
 * @param rules     the rules, in declaration order
 * @param detectors the detectors and what their hits do
 */
public record PiiConfig(
        List<KeyRef> keys,
        boolean hex,
        UnlistedColumns unlisted,
        List<MaskingRule> rules,
        Map<Detector, DetectorAction> detectors) {

    public PiiConfig {
        keys = List.copyOf(keys);
        rules = List.copyOf(rules);
        detectors = new LinkedHashMap<>(detectors);
    }

    /** The masking policy, with the keys read from the environment or files they are configured in. */
    public MaskingPolicy toPolicy(Map<String, String> environment) {
        Pseudonymizer pseudonymizer = pseudonymizer(environment);
        try {
            return MaskingPolicy.of(rules, unlisted, pseudonymizer, detectors);
        } catch (IllegalArgumentException e) {
            String[] keyAndProblem = e.getMessage().split(" ", 2);
            throw new ConfigException("pii." + keyAndProblem[0].replace(":", ""), keyAndProblem[1]);
        }
    }

    /** The keyring's pseudonymizer (every key, the writer first), or null when no key is configured. */
    public Pseudonymizer pseudonymizer(Map<String, String> environment) {
        Pseudonymizer pseudonymizer = null;
        if (!keys.isEmpty()) {
            List<PiiKey> resolved = new ArrayList<>();
            for (KeyRef key : keys) {
                try {
                    resolved.add(PiiKey.fromText(key.id(), key.secret().resolve(environment)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key.secret().key(), e.getMessage());
                }
            }
            try {
                pseudonymizer = new Pseudonymizer(resolved, hex);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("pii.keys", e.getMessage());
            }
        }
        return pseudonymizer;
    }

    /**
     * A configured key.
     *
     * @param id     the id written into pseudonyms
     * @param secret where the key comes from
     */
    public record KeyRef(String id, SecretRef secret) {}
}
