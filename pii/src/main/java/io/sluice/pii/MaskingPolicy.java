package io.sluice.pii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The declarative masking policy: rules, the unlisted-field mode, the pseudonym keys and the
 * detectors, applied to one row at a time. Stateless apart from a decision cache, and safe to
 * share between threads.
 *
 * <p>Precedence: the most specific rule wins (an exact column name beats a wildcard, then an exact
 * table, then an exact source; inside JSON, deeper exact names weigh more). Two rules with the same
 * selector are a configuration error; two different selectors of equal specificity that both
 * match resolve to the more restrictive action (fail-closed).
 *
 * <p>JSON columns: as soon as one rule reaches inside a column ({@code event_value.email}), the
 * column is parsed (a JSON object, or a string holding one, as AppsFlyer sends
 * {@code event_value}) and every field inside it is decided like a column, by the rules of its
 * depth or else by the unlisted mode; the result is written back in the column's form. A value
 * that cannot be parsed, or that a rule cannot be applied to, is dropped — never passed through.
 *
 * <p>Detectors run over every value a rule keeps (or truncates), at any depth: text, JSON held as
 * text or decoded (every string, whole number and field name inside it), and whole numbers (of up
 * to 19 digits). They also read the names of the fields that survive: a field whose name is
 * personal data (an e-mail used as a JSON key) is dropped, since its name would reach the schema.
 */
public final class MaskingPolicy {
    // Bounded so that a source sending ever-new field names cannot grow the heap without limit.
    private static final int MAX_CACHED_DECISIONS = 10_000;
    /** How JSON columns are read and written (package-private: tests compare {@link FlatJsonObject} with it). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    // Built once: resolving the target type per call was a tenth of parsing a JSON column in a profile.
    private static final ObjectReader OBJECT_READER =
            JSON.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {});
    private static final ObjectWriter OBJECT_WRITER = JSON.writer();
    private static final FlatJsonObject FLAT_JSON = new FlatJsonObject(JSON.getFactory());
    private static final Object DROPPED = new Object();

    private final List<MaskingRule> rules;
    private final UnlistedColumns unlisted;
    private final Pseudonymizer pseudonymizer;
    private final PiiScanner scanner;
    private final JsonScanner jsonScanner;
    private final Map<ColumnRef, Resolved> decisions = new ConcurrentHashMap<>();
    // Top-level columns by source, then table, then name: looked up for every column of every row, so without making a
    // ColumnRef and a path each time (a tenth of masking an MMP event in sluice bench's profile).
    private final Map<String, Map<String, Map<String, Resolved>>> columns = new ConcurrentHashMap<>();

    private MaskingPolicy(
            List<MaskingRule> rules, UnlistedColumns unlisted, Pseudonymizer pseudonymizer, PiiScanner scanner) {
        this.rules = List.copyOf(rules);
        this.unlisted = Objects.requireNonNull(unlisted, "unlisted");
        this.pseudonymizer = pseudonymizer;
        this.scanner = scanner;
        this.jsonScanner = new JsonScanner(scanner);
    }

    /** A policy without detectors. */
    public static MaskingPolicy of(List<MaskingRule> rules, UnlistedColumns unlisted, Pseudonymizer pseudonymizer) {
        return of(rules, unlisted, pseudonymizer, Map.of());
    }

    /**
     * Builds a policy, rejecting duplicate selectors and hashing without a key.
     *
     * @param pseudonymizer may be null only if nothing hashes
     * @param detectors     the detectors to run, with their actions
     * @throws IllegalArgumentException naming the offending rule ({@code rules[i] ...}) or {@code detectors}
     */
    public static MaskingPolicy of(
            List<MaskingRule> rules,
            UnlistedColumns unlisted,
            Pseudonymizer pseudonymizer,
            Map<Detector, DetectorAction> detectors) {
        List<MaskingRule> seen = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            MaskingRule rule = rules.get(i);
            for (MaskingRule earlier : seen) {
                if (earlier.sameSelector(rule)) {
                    throw new IllegalArgumentException("rules[" + i + "] selects the same fields as an earlier rule "
                            + earlier + "; keep one of them");
                }
            }
            if (rule.action() == MaskingAction.HASH && pseudonymizer == null) {
                throw new IllegalArgumentException("rules[" + i + "] hashes but no key is configured (pii.key)");
            }
            seen.add(rule);
        }
        return new MaskingPolicy(rules, unlisted, pseudonymizer, new PiiScanner(detectors, pseudonymizer));
    }

    /**
     * Masks one row. The result holds only the fields that survive, in their original order.
     *
     * @param source the source name
     * @param table  the table name
     * @param row    column name to decoded value; not modified
     */
    public Map<String, Object> mask(String source, String table, Map<String, Object> row, MaskingObserver observer) {
        Map<String, Object> out = new LinkedHashMap<>(row.size() * 2);
        maskInto(source, table, row, observer, out);
        return out;
    }

    /**
     * Masks one row into a map that may already hold columns of the caller's (curated metadata): a surviving field is
     * added after them, unless its name is taken — the caller's column wins.
     */
    public void maskInto(
            String source, String table, Map<String, Object> row, MaskingObserver observer, Map<String, Object> out) {
        Map<String, Resolved> known = columns.computeIfAbsent(source, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (Map.Entry<String, Object> field : row.entrySet()) {
            String name = field.getKey();
            Resolved resolved = known.get(name);
            if (resolved == null) {
                resolved = decide(new ColumnRef(source, table, name), List.of(name));
                if (known.size() < MAX_CACHED_DECISIONS) {
                    known.put(name, resolved);
                }
            }
            Object masked = maskField(resolved, source, table, List.of(name), field.getValue(), false, observer);
            if (masked != DROPPED) {
                out.putIfAbsent(name, masked);
            }
        }
    }

    /** @param inText whether the object is written back as JSON text, where a number may become a marker */
    private Map<String, Object> maskObject(
            String source,
            String table,
            List<String> prefix,
            Map<String, Object> object,
            boolean inText,
            MaskingObserver observer) {
        Map<String, Object> out = new LinkedHashMap<>(object.size() * 2);
        maskFields(source, table, prefix, object.entrySet(), inText, observer, out::put);
        return out;
    }

    /** Masks fields below {@code prefix}, handing each that survives to {@code out}, in order. */
    private void maskFields(
            String source,
            String table,
            List<String> prefix,
            Iterable<Map.Entry<String, Object>> fields,
            boolean inText,
            MaskingObserver observer,
            BiConsumer<String, Object> out) {
        for (Map.Entry<String, Object> field : fields) {
            List<String> path;
            if (prefix.isEmpty()) {
                path = List.of(field.getKey());
            } else {
                path = new ArrayList<>(prefix.size() + 1);
                path.addAll(prefix);
                path.add(field.getKey());
            }
            ColumnRef ref = new ColumnRef(source, table, path.size() == 1 ? path.get(0) : String.join(".", path));
            Object masked = maskField(decide(ref, path), source, table, path, field.getValue(), inText, observer);
            if (masked != DROPPED) {
                out.accept(field.getKey(), masked);
            }
        }
    }

    private Object maskField(
            Resolved resolved,
            String source,
            String table,
            List<String> path,
            Object value,
            boolean inText,
            MaskingObserver observer) {
        ColumnRef ref = resolved.ref();
        Decision decision = resolved.decision();
        if (!resolved.nameHits().isEmpty()) {
            return dropNamedLikePii(source, table, path, resolved, observer);
        }
        if (decision.structured()) {
            return maskStructured(source, table, path, ref, value, inText, observer);
        }
        observer.onColumn(ref, decision.action(), decision.byRule());
        if (value == null && decision.action() != MaskingAction.DROP) {
            return null;
        }
        try {
            return switch (decision.action()) {
                case DROP -> DROPPED;
                case REDACT -> null;
                case HASH -> pseudonymizer.pseudonym(value);
                case KEEP -> detect(ref, value, resolved.field(), inText, observer);
                case TRUNCATE -> detect(ref, decision.transform().apply(value), resolved.field(), inText, observer);
                case MASK, GENERALIZE -> decision.transform().apply(value);
            };
        } catch (MaskingFailure e) {
            observer.onFailure(ref, e.reason());
            return DROPPED;
        }
    }

    /**
     * A field whose name is personal data cannot be written under that name (it would reach the
     * schema and the registry), nor renamed (readers would not know it). It is dropped, and reported
     * under the detector's marker instead of its name.
     */
    private Object dropNamedLikePii(
            String source, String table, List<String> path, Resolved resolved, MaskingObserver observer) {
        String marker = "[" + resolved.nameHits().get(0).configName() + "]";
        String column = path.size() == 1 ? marker : String.join(".", path.subList(0, path.size() - 1)) + "." + marker;
        ColumnRef hidden = new ColumnRef(source, table, column);
        observer.onColumn(hidden, MaskingAction.DROP, resolved.decision().byRule());
        for (Detector detector : resolved.nameHits()) {
            observer.onDetection(hidden, detector);
        }
        observer.onFailure(hidden, "pii-in-field-name");
        return DROPPED;
    }

    private Object maskStructured(
            String source,
            String table,
            List<String> path,
            ColumnRef ref,
            Object value,
            boolean inText,
            MaskingObserver observer) {
        if (value == null) {
            return null;
        }
        Map<String, Object> object;
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            object = typed;
        } else if (value instanceof String text) {
            List<Map.Entry<String, Object>> flat = FLAT_JSON.read(text);
            if (flat != null) {
                // The common case (AppsFlyer's event_value): read and written field by field, not through maps.
                List<Map.Entry<String, Object>> masked = new ArrayList<>(flat.size());
                maskFields(
                        source,
                        table,
                        path,
                        flat,
                        true,
                        observer,
                        (name, v) -> masked.add(new AbstractMap.SimpleImmutableEntry<>(name, v)));
                String written = FLAT_JSON.write(masked);
                if (written != null) {
                    return written;
                }
                Map<String, Object> out = new LinkedHashMap<>(masked.size() * 2);
                masked.forEach(e -> out.put(e.getKey(), e.getValue()));
                return written(ref, out, observer);
            }
            try {
                object = OBJECT_READER.readValue(text);
            } catch (JsonProcessingException e) {
                observer.onFailure(ref, "not-a-json-object");
                return DROPPED;
            }
            if (object == null) {
                observer.onFailure(ref, "not-a-json-object");
                return DROPPED;
            }
        } else {
            observer.onFailure(ref, "not-a-json-object");
            return DROPPED;
        }
        Map<String, Object> masked =
                maskObject(source, table, path, object, inText || value instanceof String, observer);
        if (value instanceof Map) {
            return masked;
        }
        return written(ref, masked, observer);
    }

    private static Object written(ColumnRef ref, Map<String, Object> masked, MaskingObserver observer) {
        try {
            return OBJECT_WRITER.writeValueAsString(masked);
        } catch (JsonProcessingException e) {
            observer.onFailure(ref, "not-serialisable");
            return DROPPED;
        }
    }

    /** @param inText whether the value is written back inside JSON text, where a number may become a marker */
    private Object detect(ColumnRef ref, Object value, FieldName field, boolean inText, MaskingObserver observer)
            throws MaskingFailure {
        if (value == null || scanner.isEmpty()) {
            return value;
        }
        if (value instanceof String text) {
            if (JsonScanner.looksLikeJson(text)) {
                JsonScanner.Findings findings = new JsonScanner.Findings();
                String masked = jsonScanner.scanText(text, field, findings);
                if (masked != null) {
                    return report(ref, findings, masked, observer);
                }
            }
            return detected(ref, scanner.scan(text, field), observer);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            JsonScanner.Findings findings = new JsonScanner.Findings();
            return report(ref, findings, jsonScanner.scanTree(value, field, inText, findings), observer);
        }
        if (value instanceof Number) {
            PiiScanner.Scan scan = scanner.scanNumber(value, field);
            if (scan.outcome() == null) {
                return value;
            }
            Object masked = detected(ref, scan, observer);
            // Outside JSON text a number cannot hold a marker without changing the column's type (schemas are
            // derived from values); inside it, the marker says what was there.
            return masked == DROPPED || inText ? masked : null;
        }
        return value;
    }

    private static Object detected(ColumnRef ref, PiiScanner.Scan scan, MaskingObserver observer) {
        for (Detector found : scan.found()) {
            observer.onDetection(ref, found);
        }
        return scan.outcome() == DetectorAction.DROP ? DROPPED : scan.text();
    }

    private static Object report(
            ColumnRef ref, JsonScanner.Findings findings, Object masked, MaskingObserver observer) {
        for (Detector found : findings.found) {
            observer.onDetection(ref, found);
        }
        for (String reason : findings.failures) {
            observer.onFailure(ref, reason);
        }
        return masked == JsonScanner.REMOVED ? DROPPED : masked;
    }

    /** The decision for a top-level column (for tools and tests). */
    public Decision decide(ColumnRef ref) {
        return decide(ref, List.of(ref.column().split("\\.", -1))).decision();
    }

    private Resolved decide(ColumnRef ref, List<String> path) {
        Resolved cached = decisions.get(ref);
        if (cached != null) {
            return cached;
        }
        Decision decision = resolve(ref.source(), ref.table(), path);
        Resolved resolved = new Resolved(ref, decision, FieldName.of(path), namedLikePii(decision, path));
        if (decisions.size() < MAX_CACHED_DECISIONS) {
            decisions.put(ref, resolved);
        }
        return resolved;
    }

    /** The detectors that find personal data in the name of a field that would survive (its parents were read already). */
    private List<Detector> namedLikePii(Decision decision, List<String> path) {
        if (scanner.isEmpty() || (!decision.structured() && decision.action() == MaskingAction.DROP)) {
            return List.of();
        }
        return scanner.scan(path.get(path.size() - 1)).found();
    }

    private Decision resolve(String source, String table, List<String> path) {
        MaskingRule best = null;
        boolean structured = false;
        for (MaskingRule rule : rules) {
            if (rule.reachesBelow(source, table, path)) {
                structured = true;
            }
            if (!rule.selects(source, table, path)) {
                continue;
            }
            if (best == null
                    || rule.specificity() > best.specificity()
                    || (rule.specificity() == best.specificity()
                            && rule.action().restrictiveness() > best.action().restrictiveness())) {
                best = rule;
            }
        }
        if (structured) {
            return new Decision(null, true, null, true);
        }
        if (best != null) {
            return new Decision(best.action(), true, best.transform(), false);
        }
        return new Decision(
                unlisted == UnlistedColumns.KEEP ? MaskingAction.KEEP : MaskingAction.DROP, false, null, false);
    }

    /** The rules in declaration order. */
    public List<MaskingRule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /** The unlisted-field mode. */
    public UnlistedColumns unlisted() {
        return unlisted;
    }

    /** A decision with what the detectors need to know about the field's name, worked out once per field. */
    private record Resolved(ColumnRef ref, Decision decision, FieldName field, List<Detector> nameHits) {}

    /**
     * A field decision.
     *
     * @param action     the action, or null for a JSON column that is descended into
     * @param byRule     whether a rule decided (false: the unlisted mode did)
     * @param transform  the transform of the action, if it has one
     * @param structured whether rules reach inside this field
     */
    public record Decision(MaskingAction action, boolean byRule, ColumnTransform transform, boolean structured) {}
}
