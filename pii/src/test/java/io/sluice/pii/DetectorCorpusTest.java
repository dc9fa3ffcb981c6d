package io.sluice.pii;

import static io.sluice.pii.KeptValueDetectionTest.allDetectors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Measures every detector on a generated, labelled corpus ({@link PiiCorpus}): recall (the value
 * was reported and no longer holds the personal data) and false-positive rate (a value without
 * personal data that the detector fired on). Prints the figures; docs/pii-detectors.md quotes them.
 */
class DetectorCorpusTest {
    private static final long SEED = 17L;
    private static final int PER_DETECTOR = 2_000;
    private static final int NON_PII = 10_000;
    private static final double MIN_RECALL = 0.99;
    private static final double MAX_FALSE_POSITIVE_RATE = 0.005;
    private static final Pseudonymizer PSEUDONYMIZER =
            new Pseudonymizer(PiiKey.fromText("1", "test-key-0123456789abcdef-0123456789"));

    @Test
    void everyDetectorFindsAtLeast99PercentOfTheCorpusWithFewFalsePositives() {
        // Deny-list mode with event_value.* kept: the configuration the findings came from.
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "event_value.*", MaskingAction.KEEP)),
                UnlistedColumns.KEEP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));
        Map<Detector, int[]> recall = new EnumMap<>(Detector.class); // {positives, found}
        Map<Detector, Integer> falsePositives = new EnumMap<>(Detector.class);
        Map<String, int[]> byForm = new LinkedHashMap<>(); // {values, found or flagged}
        int nonPii = 0;

        for (PiiCorpus.Sample sample : new PiiCorpus(SEED).generate(PER_DETECTOR, NON_PII)) {
            Fired fired = new Fired();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(sample.field(), sample.value());
            String out = String.valueOf(policy.mask("src", "t", row, fired));
            if (sample.detector() == null) {
                nonPii++;
                fired.detectors.forEach(d -> falsePositives.merge(d, 1, Integer::sum));
                count(byForm, "non-PII | " + sample.form(), !fired.detectors.isEmpty());
                continue;
            }
            boolean found = fired.detectors.contains(sample.detector()) && !leaks(out, sample.secret());
            count(byForm, sample.detector().configName() + " | " + sample.form(), found);
            if (!sample.form().equals(PiiCorpus.OUT_OF_REACH)) {
                int[] r = recall.computeIfAbsent(sample.detector(), d -> new int[2]);
                r[0]++;
                r[1] += found ? 1 : 0;
            }
        }

        System.out.println(report(recall, falsePositives, nonPii, byForm));
        for (Detector d : Detector.values()) {
            int[] r = recall.get(d);
            assertThat((double) r[1] / r[0]).as("recall of %s", d.configName()).isGreaterThanOrEqualTo(MIN_RECALL);
            assertThat((double) falsePositives.getOrDefault(d, 0) / nonPii)
                    .as("false-positive rate of %s", d.configName())
                    .isLessThanOrEqualTo(MAX_FALSE_POSITIVE_RATE);
        }
    }

    /** Whether the personal data is still in the output, in any spelling the detectors fold. */
    private static boolean leaks(String out, String secret) {
        String folded = NormalizedText.of(out).text();
        return secret.chars().allMatch(Character::isDigit)
                ? folded.replaceAll("\\D", "").contains(secret)
                : folded.contains(secret);
    }

    private static void count(Map<String, int[]> byForm, String form, boolean hit) {
        int[] c = byForm.computeIfAbsent(form, f -> new int[2]);
        c[0]++;
        c[1] += hit ? 1 : 0;
    }

    private static String report(
            Map<Detector, int[]> recall, Map<Detector, Integer> falsePositives, int nonPii, Map<String, int[]> byForm) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "%nDetector corpus (seed %d): recall on personal data, "
                        + "false positives on %,d values without%n%n| detector | values | found | recall | false positives | FP rate |%n"
                        + "|---|---:|---:|---:|---:|---:|%n",
                SEED,
                nonPii));
        for (Detector d : Detector.values()) {
            int[] r = recall.get(d);
            int fp = falsePositives.getOrDefault(d, 0);
            sb.append(String.format(
                    Locale.ROOT,
                    "| `%s` | %,d | %,d | %.2f%% | %d | %.2f%% |%n",
                    d.configName(),
                    r[0],
                    r[1],
                    100.0 * r[1] / r[0],
                    fp,
                    100.0 * fp / nonPii));
        }
        sb.append(String.format(
                Locale.ROOT,
                "%n| detector / form | values | found (non-PII: flagged) | rate |%n|---|---:|---:|---:|%n"));
        byForm.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %,d | %,d | %.1f%% |%n",
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        100.0 * e.getValue()[1] / e.getValue()[0])));
        return sb.toString();
    }

    /** Collects which detectors fired on one row. */
    private static final class Fired implements MaskingObserver {
        final Set<Detector> detectors = EnumSet.noneOf(Detector.class);

        @Override
        public void onColumn(ColumnRef ref, MaskingAction action, boolean byRule) {}

        @Override
        public void onDetection(ColumnRef ref, Detector detector) {
            detectors.add(detector);
        }
    }
}
