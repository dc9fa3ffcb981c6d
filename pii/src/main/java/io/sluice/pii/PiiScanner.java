package io.sluice.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the configured detectors over a text or the digits of a whole number and applies their
 * actions. A text is folded once ({@link NormalizedText}) before every detector; what they find is
 * replaced in the text as given.
 */
final class PiiScanner {
    // In enum order, so that which marker wins between two detectors on the same span never depends on
    // hashing; arrays, since they are walked for every kept value.
    private final Detector[] detectors;
    private final DetectorAction[] actions;
    private final Pseudonymizer pseudonymizer;

    PiiScanner(Map<Detector, DetectorAction> detectors, Pseudonymizer pseudonymizer) {
        EnumMap<Detector, DetectorAction> ordered = new EnumMap<>(Detector.class);
        ordered.putAll(detectors);
        this.detectors = ordered.keySet().toArray(new Detector[0]);
        this.actions = ordered.values().toArray(new DetectorAction[0]);
        this.pseudonymizer = pseudonymizer;
        if (pseudonymizer == null && detectors.containsValue(DetectorAction.HASH)) {
            throw new IllegalArgumentException("detectors: a detector hashes but no key is configured (pii.key)");
        }
    }

    boolean isEmpty() {
        return detectors.length == 0;
    }

    /** Whether any detector could find anything in the text at all: the cheap pre-check, on the folded text. */
    boolean mayFind(String text) {
        Detector.TextShape shape = Detector.TextShape.of(text);
        if (!shape.ascii()) {
            NormalizedText folded = NormalizedText.of(text);
            if (folded.changed()) {
                shape = Detector.TextShape.of(folded.text());
            }
        }
        return anyMayMatch(shape);
    }

    /** Scans a text with no field name to go by. */
    Scan scan(String text) {
        return scan(text, FieldName.NONE);
    }

    /**
     * Scans a text.
     *
     * @param field the names on the value's path, for detectors that accept more under a telling name
     * @return the outcome: the text with hits replaced, or an instruction to null or drop the field
     */
    Scan scan(String text, FieldName field) {
        Detector.TextShape shape = Detector.TextShape.of(text);
        NormalizedText folded;
        if (shape.ascii()) {
            // The fast path, and most values: plain ASCII needs no folding, and usually no detector.
            if (!anyMayMatchText(shape)) {
                return Scan.nothing(text);
            }
            folded = NormalizedText.ascii(text);
        } else {
            folded = NormalizedText.of(text);
            if (folded.changed()) {
                shape = Detector.TextShape.of(folded.text());
            }
            if (!anyMayMatchText(shape)) {
                return Scan.nothing(text);
            }
        }
        List<Hit> hits = new ArrayList<>();
        for (int d = 0; d < detectors.length; d++) {
            if (detectors[d].mayMatchText(shape)) {
                for (int[] span : detectors[d].find(folded.text(), field)) {
                    hits.add(new Hit(detectors[d], actions[d], span[0], span[1]));
                }
            }
        }
        return resolve(folded, hits);
    }

    /**
     * Scans a whole number (a JSON number, an integer column) as its digits.
     *
     * @param value any value; only whole numbers of up to 19 digits are read ({@link WholeNumber#magnitudeOf})
     * @return on a hit, the text that may stand in for the number where text is allowed; else nothing found
     */
    Scan scanNumber(Object value, FieldName field) {
        long magnitude = WholeNumber.magnitudeOf(value);
        if (magnitude < 0) {
            return Scan.nothing(null);
        }
        int length = WholeNumber.digitCount(magnitude);
        int leading = WholeNumber.leadingDigit(magnitude, length);
        String digits = null; // written out only for a number some detector may match
        List<Hit> hits = null;
        for (int d = 0; d < detectors.length; d++) {
            if (!detectors[d].mayMatchNumber(length, leading, field)) {
                continue;
            }
            digits = digits == null ? Long.toString(magnitude) : digits;
            if (detectors[d].matchesNumber(digits, field)) {
                if (hits == null) {
                    hits = new ArrayList<>(2);
                }
                hits.add(new Hit(detectors[d], actions[d], 0, digits.length()));
            }
        }
        return hits == null ? Scan.nothing(digits) : resolve(NormalizedText.ascii(digits), hits);
    }

    private boolean anyMayMatch(Detector.TextShape shape) {
        for (Detector detector : detectors) {
            if (detector.mayMatch(shape)) {
                return true;
            }
        }
        return false;
    }

    private boolean anyMayMatchText(Detector.TextShape shape) {
        for (Detector detector : detectors) {
            if (detector.mayMatchText(shape)) {
                return true;
            }
        }
        return false;
    }

    private Scan resolve(NormalizedText folded, List<Hit> hits) {
        String text = folded.original();
        if (hits.isEmpty()) {
            return Scan.nothing(text);
        }
        List<Detector> found = hits.stream().map(Hit::detector).distinct().toList();
        if (hits.stream().anyMatch(h -> h.action() == DetectorAction.DROP)) {
            return new Scan(null, DetectorAction.DROP, found);
        }
        if (hits.stream().anyMatch(h -> h.action() == DetectorAction.REDACT)) {
            return new Scan(null, DetectorAction.REDACT, found);
        }
        hits.sort(Comparator.comparingInt(Hit::start).thenComparingInt(h -> -h.end()));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0; // in the original text
        int foldedAt = 0;
        for (Hit hit : hits) {
            if (hit.start() < foldedAt) {
                continue; // overlaps an earlier, longer hit (a phone inside a card number, say)
            }
            int start = folded.originalStart(hit.start());
            out.append(text, at, start);
            // The folded form is what is hashed: a full-width e-mail gets the pseudonym of its ASCII spelling.
            String match = folded.text().substring(hit.start(), hit.end());
            out.append(
                    hit.action() == DetectorAction.HASH
                            ? pseudonymizer.pseudonym(match)
                            : "[" + hit.detector().configName() + "]");
            at = folded.originalEnd(hit.end());
            foldedAt = hit.end();
        }
        out.append(text, at, text.length());
        return new Scan(out.toString(), DetectorAction.MASK, found);
    }

    private record Hit(Detector detector, DetectorAction action, int start, int end) {}

    /**
     * @param text    the text to write, or null when the field is to be nulled or dropped
     * @param outcome null if nothing was found; MASK when hits were replaced in place; REDACT or DROP
     * @param found   the detectors that fired
     */
    record Scan(String text, DetectorAction outcome, List<Detector> found) {
        static Scan nothing(String text) {
            return new Scan(text, null, List.of());
        }
    }
}
