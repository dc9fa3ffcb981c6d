package io.sluice.pii;

import java.util.List;
import java.util.Locale;

/**
 * What the names on a value's path (its column, the JSON keys above it) say the value is: a
 * resident registration number, a phone number. Detectors use it to accept a candidate that the
 * value alone leaves ambiguous (thirteen bare digits without a check digit in a column called
 * {@code jumin_no}; a ten-digit number in a key called {@code phone}).
 *
 * <p>A JSON key's verdict is worked out only when a detector asks, since most values never need it.
 */
final class FieldName {
    /** No name: nothing is implied. */
    static final FieldName NONE = new FieldName(null, null);

    // Long words are looked for anywhere in the name with separators and case removed ("residentRegNo",
    // "jumin_no", "national-id"); short ones only as a whole word, so "classname" does not say "ssn".
    private static final List<String> RRN_PARTS =
            List.of("rrn", "resident", "jumin", "주민", "외국인등록", "registrationno", "registrationnum", "nationalid");
    private static final List<String> RRN_WORDS = List.of("ssn");
    private static final List<String> PHONE_PARTS = List.of("phone", "mobile", "msisdn", "휴대", "핸드폰", "전화", "연락처");
    private static final List<String> PHONE_WORDS = List.of("tel", "hp", "cell");
    private static final byte UNKNOWN = 0;
    private static final byte NOTHING = 1;
    private static final byte RRN = 2;
    private static final byte PHONE = 3;

    private final FieldName parent;
    private final String name;
    private byte says; // racy but idempotent: every thread computes the same verdict

    private FieldName(FieldName parent, String name) {
        this.parent = parent;
        this.name = name;
        this.says = name == null ? NOTHING : UNKNOWN;
    }

    /** The names of a field's path, outermost first. */
    static FieldName of(List<String> path) {
        FieldName field = NONE;
        for (String segment : path) {
            field = field.child(segment);
        }
        return field;
    }

    /** A value one level further down, under this key. */
    FieldName child(String key) {
        return new FieldName(this, key);
    }

    /** Whether a name on the path says "resident registration number". */
    boolean saysRrn() {
        return verdict() == RRN || (parent != null && parent.saysRrn());
    }

    /** Whether a name on the path says "phone number". */
    boolean saysPhone() {
        return verdict() == PHONE || (parent != null && parent.saysPhone());
    }

    private byte verdict() {
        if (says == UNKNOWN) {
            says = judge(name);
        }
        return says;
    }

    private static byte judge(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String compact = lower.replaceAll("[\\s_.\\-]", "");
        if (containsAny(compact, RRN_PARTS) || hasWord(name, RRN_WORDS)) {
            return RRN;
        }
        if (containsAny(compact, PHONE_PARTS) || hasWord(name, PHONE_WORDS)) {
            return PHONE;
        }
        return NOTHING;
    }

    private static boolean containsAny(String text, List<String> parts) {
        for (String part : parts) {
            if (text.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the words is a whole word of the name: split at non-letters and at camelCase humps. */
    private static boolean hasWord(String name, List<String> words) {
        int n = name.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(name.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n
                    && Character.isLetterOrDigit(name.charAt(i))
                    && (i == start
                            || !(Character.isUpperCase(name.charAt(i)) && Character.isLowerCase(name.charAt(i - 1))))) {
                i++;
            }
            if (i > start && words.contains(name.substring(start, i).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
