package io.sluice.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Safety-net detectors for personal data in values that survived the rules: free text, nested JSON,
 * numbers, field names, columns someone marked {@code keep} by mistake. Each finds the spans it
 * recognises in a text folded by {@link NormalizedText}; candidates are confirmed by what the format
 * has (a real birth date, a check digit, a card network's range and length, Luhn) or by context.
 */
public enum Detector {
    /** E-mail addresses. */
    EMAIL(
            "email",
            Pattern.compile(
                    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])")),
    /**
     * Korean mobile and landline numbers (010-1234-5678, 02-123-4567, +82 10 1234 5678) and E.164
     * numbers; as a whole number, a Korean mobile number whose leading zero was lost.
     */
    PHONE(
            "phone",
            Pattern.compile("(?<![\\w+])(?:"
                    + "(?:\\+82[ -]?|0)(?:1[016789]|2|[3-6][1-5])[ -]?\\d{3,4}[ -]?\\d{4}"
                    + "|\\+[1-9]\\d{7,14}"
                    + ")(?![\\w])")),
    /**
     * Korean resident and foreigner registration numbers (YYMMDD-SNNNNNN): a real birth date and a
     * 7th digit 1-8, confirmed by the check digit, the hyphen, a context word or the field's name.
     * Not inside a longer identifier: no letter or digit next to it, no "-digits" continuing it
     * (an AppsFlyer id is epoch millis, a hyphen and more digits).
     */
    KR_RRN("kr-rrn", Pattern.compile("\\d(?<!\\w\\d)(?<!\\d-\\d)\\d{5}[ -]?[1-8]\\d{6}(?!\\w)(?!-\\d)")),
    /**
     * Payment card numbers: 12-19 digits, optionally grouped by spaces or dashes, in a network's
     * issuer range at a length it issues, passing Luhn where the network uses it. Not inside a
     * longer identifier: no letter, digit or hyphen next to it (UUIDs, hex tokens, AppsFlyer ids).
     */
    CARD("card", Pattern.compile("[2-6](?<!\\w.)(?<!-.)(?:[ -]?\\d){11,18}(?!\\w)(?!-)")),
    /** IPv4 and IPv6 addresses. */
    IP(
            "ip",
            Pattern.compile("(?<![\\w.:])(?:"
                    + "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
                    + "|(?:[0-9A-Fa-f]{1,4}|(?=::))(?::[0-9A-Fa-f]{0,4}){2,7}"
                    + ")(?![\\w.:])"));

    // KR_RRN and CARD test their first character before looking behind it: the cheap test runs at every
    // position of every scanned text, the lookbehind only where a number starts.

    // A phone number that became a whole number: 821012345678 (E.164 without the plus) always;
    // 1012345678 (010 without its zero) only under a phone-like name, since ids and 2001-2004 epoch
    // seconds look the same.
    private static final Pattern E164_KR_MOBILE_NUMBER = Pattern.compile("8210\\d{8}");
    private static final Pattern ZERO_LOST_MOBILE_NUMBER = Pattern.compile("10\\d{8}");

    private final String configName;
    private final Pattern pattern;

    Detector(String configName, Pattern pattern) {
        this.configName = configName;
        this.pattern = pattern;
    }

    /** The spelling used in configuration and metric tags. */
    public String configName() {
        return configName;
    }

    /** Parses a configuration spelling. */
    public static Detector fromConfig(String text) {
        for (Detector d : values()) {
            if (d.configName.equals(text.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown detector '" + text + "', expected email, phone, kr-rrn, card or ip");
    }

    /**
     * Whether a text with these character counts (after folding) could hold a match at all. Most
     * values (event names, platforms, versions) cannot, and skipping the regular expression for
     * them is what keeps detectors cheap.
     */
    boolean mayMatch(TextShape shape) {
        return switch (this) {
            case EMAIL -> shape.ats() > 0;
            case PHONE -> shape.digits() >= 8;
            case KR_RRN -> shape.digits() >= 13;
            case CARD -> shape.digits() >= CardRanges.MIN_LENGTH;
            case IP -> (shape.digits() >= 4 && shape.dots() >= 3) || shape.colons() >= 2;
        };
    }

    /**
     * Whether a text of this shape could hold what this detector's pattern finds: {@link #mayMatch} and, where the
     * pattern needs them, digit runs laid out as it needs them. Timestamps (runs of two to four digits) and
     * AppsFlyer ids (runs starting with 1) then never reach a regular expression. Only for the text the pattern
     * runs on: JSON text as a whole holds numbers in forms (exponents) whose digits it does not show as runs.
     */
    boolean mayMatchText(TextShape shape) {
        if (!mayMatch(shape)) {
            return false;
        }
        return switch (this) {
            case EMAIL -> true;
            case PHONE -> shape.plus() || shape.phoneChain();
            case KR_RRN -> shape.rrnRuns();
            case CARD -> shape.cardChain();
            case IP -> (shape.digits() >= 4 && shape.dots() >= 3) || shape.doubleColon() || shape.colons() >= 7;
        };
    }

    /** Whether the pattern alone (before any confirmation) finds something in the text; for tests of the pre-checks. */
    boolean patternFinds(String text) {
        return pattern.matcher(text).find();
    }

    /**
     * Whether a whole number of this many digits, starting with this digit, under this name, could
     * be what this detector finds: timestamps and ids (which start with 1) are let go without ever
     * being written out as text.
     */
    boolean mayMatchNumber(int digits, int leadingDigit, FieldName field) {
        return switch (this) {
            case EMAIL, IP -> false;
            case PHONE ->
                (digits == 12 && leadingDigit == 8) || (digits == 10 && leadingDigit == 1 && field.saysPhone());
            case KR_RRN -> digits >= 10 && digits <= 13 && field.saysRrn();
            case CARD -> digits >= CardRanges.MIN_LENGTH && leadingDigit >= 2 && leadingDigit <= 6;
        };
    }

    /**
     * The spans {@code [start, end)} of what this detector recognises in the text, in the text as
     * given (look-alike characters are folded first, see {@link NormalizedText}).
     */
    public List<int[]> find(String text) {
        NormalizedText folded = NormalizedText.of(text);
        List<int[]> spans = new ArrayList<>();
        for (int[] span : find(folded.text(), FieldName.NONE)) {
            spans.add(new int[] {folded.originalStart(span[0]), folded.originalEnd(span[1])});
        }
        return spans;
    }

    /** The spans found in a folded text, the field's name helping where the format alone is ambiguous. */
    List<int[]> find(String text, FieldName field) {
        List<int[]> spans = new ArrayList<>(2);
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            switch (this) {
                case KR_RRN -> {
                    if (ResidentNumbers.confirmedInText(text, m.start(), m.end(), field)) {
                        spans.add(new int[] {m.start(), m.end()});
                    }
                }
                case CARD -> CardRanges.addCardIn(text, m.start(), m.end(), spans);
                case IP -> {
                    if (m.group().indexOf(':') < 0 || ipv6Valid(m.group())) {
                        spans.add(new int[] {m.start(), m.end()});
                    }
                }
                default -> spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    /**
     * Whether the digits of a whole number (a JSON number, an integer column) are what this
     * detector finds. Numbers have lost what text would show: leading zeros, the plus, the hyphen.
     */
    boolean matchesNumber(String digits, FieldName field) {
        return switch (this) {
            case EMAIL, IP -> false;
            case PHONE ->
                E164_KR_MOBILE_NUMBER.matcher(digits).matches()
                        || (field.saysPhone()
                                && ZERO_LOST_MOBILE_NUMBER.matcher(digits).matches());
            case KR_RRN -> ResidentNumbers.confirmedAsNumber(digits, field);
            case CARD -> CardRanges.isCardNumber(digits, false);
        };
    }

    /** Eight groups, or fewer with exactly one "::"; so clock times such as 10:59:59 are not addresses. */
    static boolean ipv6Valid(String text) {
        int compressed = text.indexOf("::");
        if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String[] groups = text.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (!g.isEmpty()) {
                nonEmpty++;
            }
        }
        return compressed >= 0 ? nonEmpty <= 7 && text.length() >= 2 : groups.length == 8 && nonEmpty == 8;
    }

    /**
     * Counts of the characters the detectors' cheap pre-checks look at, whether folding may change anything, and how
     * the digits are laid out. A chain is digit runs joined by single spaces or hyphens, as phone and card numbers
     * are grouped.
     *
     * @param plus        a '+' (international phone numbers)
     * @param doubleColon "::" (a compressed IPv6 address)
     * @param phoneChain  a chain with at least 9 digits from a run that starts with 0 (a Korean number's trunk prefix)
     * @param rrnRuns     a run of exactly 13 digits, or runs of 6 and 7 joined by a space or a hyphen
     * @param cardChain   a chain with at least 12 digits from a run that starts with 2 to 6 (a card network's range)
     */
    record TextShape(
            int digits,
            int ats,
            int dots,
            int colons,
            boolean ascii,
            boolean plus,
            boolean doubleColon,
            boolean phoneChain,
            boolean rrnRuns,
            boolean cardChain) {
        private static final int PHONE_MIN_DIGITS = 9;

        static TextShape of(String text) {
            int digits = 0;
            int ats = 0;
            int dots = 0;
            int colons = 0;
            boolean ascii = true;
            boolean plus = false;
            boolean doubleColon = false;
            boolean phoneChain = false;
            boolean rrnRuns = false;
            boolean cardChain = false;
            int run = 0; // digits in the current run
            int previousRun = 0; // digits in the run before it
            int joinedRun = -1; // the previous run's length when the current run is chained to it
            int phoneDigits = -1; // digits in the chain since its first run starting with 0, or -1
            int cardDigits = -1; // digits in the chain since its first run starting with 2 to 6, or -1
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits++;
                    if (run == 0) {
                        boolean chained = i >= 2 && isGroupSeparator(text.charAt(i - 1)) && isDigit(text.charAt(i - 2));
                        joinedRun = chained ? previousRun : -1;
                        if (!chained) {
                            phoneDigits = -1;
                            cardDigits = -1;
                        }
                        if (phoneDigits < 0 && c == '0') {
                            phoneDigits = 0;
                        }
                        if (cardDigits < 0 && c >= '2' && c <= '6') {
                            cardDigits = 0;
                        }
                    }
                    run++;
                    if (phoneDigits >= 0 && ++phoneDigits >= PHONE_MIN_DIGITS) {
                        phoneChain = true;
                    }
                    if (cardDigits >= 0 && ++cardDigits >= CardRanges.MIN_LENGTH) {
                        cardChain = true;
                    }
                    continue;
                }
                if (run > 0) {
                    rrnRuns |= endsResidentNumber(run, joinedRun);
                    previousRun = run;
                    run = 0;
                }
                if (c == '@') {
                    ats++;
                } else if (c == '.') {
                    dots++;
                } else if (c == ':') {
                    colons++;
                    doubleColon |= i > 0 && text.charAt(i - 1) == ':';
                } else if (c == '+') {
                    plus = true;
                } else if (c >= 0x80) {
                    ascii = false;
                }
            }
            rrnRuns |= run > 0 && endsResidentNumber(run, joinedRun);
            return new TextShape(digits, ats, dots, colons, ascii, plus, doubleColon, phoneChain, rrnRuns, cardChain);
        }

        private static boolean endsResidentNumber(int run, int joinedRun) {
            return run == 13 || (run == 7 && joinedRun == 6);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isGroupSeparator(char c) {
            return c == ' ' || c == '-';
        }
    }
}
