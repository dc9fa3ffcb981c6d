package io.sluice.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Runs the configured detectors over a text and applies their actions. */
final class PiiScanner {
    private final Map<Detector, DetectorAction> detectors;
    private final Pseudonymizer pseudonymizer;

    PiiScanner(Map<Detector, DetectorAction> detectors, Pseudonymizer pseudonymizer) {
        this.detectors = Map.copyOf(detectors);
        this.pseudonymizer = pseudonymizer;
        if (pseudonymizer == null && detectors.containsValue(DetectorAction.HASH)) {
            throw new IllegalArgumentException("detectors: a detector hashes but no key is configured (pii.key)");
        }
    }

    boolean isEmpty() {
        return detectors.isEmpty();
    }

    /**
     * Scans a text.
     *
     * @return the outcome: the text with hits replaced, or an instruction to null or drop the field
     */
    Scan scan(String text) {
        List<Hit> hits = new ArrayList<>();
        Detector.TextShape shape = Detector.TextShape.of(text);
        for (Map.Entry<Detector, DetectorAction> detector : detectors.entrySet()) {
            if (!detector.getKey().mayMatch(shape)) {
                continue;
            }
            for (int[] span : detector.getKey().find(text)) {
                hits.add(new Hit(detector.getKey(), detector.getValue(), span[0], span[1]));
            }
        }
        if (hits.isEmpty()) {
            return new Scan(text, null, List.of());
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
        int at = 0;
        for (Hit hit : hits) {
            if (hit.start() < at) {
                continue; // overlaps an earlier, longer hit (a phone inside a card number, say)
            }
            out.append(text, at, hit.start());
            String match = text.substring(hit.start(), hit.end());
            out.append(hit.action() == DetectorAction.HASH ? pseudonymizer.pseudonym(match) : "[" + hit.detector().configName() + "]");
            at = hit.end();
        }
        out.append(text, at, text.length());
        return new Scan(out.toString(), DetectorAction.MASK, found);
    }

    private record Hit(Detector detector, DetectorAction action, int start, int end) {
    }

    /**
     * @param text    the text to write, or null when the field is to be nulled or dropped
     * @param outcome null if nothing was found; MASK when hits were replaced in place; REDACT or DROP
     * @param found   the detectors that fired
     */
    record Scan(String text, DetectorAction outcome, List<Detector> found) {
    }
}
