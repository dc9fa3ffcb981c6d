package io.sluice.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Safety-net detectors for personal data in text that survived the rules: free text, nested JSON,
 * columns someone marked {@code keep} by mistake. Each finds the spans it recognises; pattern
 * candidates are confirmed by checksums where the format has one (RRN check digit, Luhn).
 */
public enum Detector {
    /** E-mail addresses. */
    EMAIL("email", Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])")),
    /** Korean mobile and landline numbers (010-1234-5678, 02-123-4567, +82 10 1234 5678) and E.164 numbers. */
    PHONE("phone", Pattern.compile("(?<![\\w+])(?:"
            + "(?:\\+82[ -]?|0)(?:1[016789]|2|[3-6][1-5])[ -]?\\d{3,4}[ -]?\\d{4}"
            + "|\\+[1-9]\\d{7,14}"
            + ")(?![\\w])")),
    /** Korean resident registration numbers (YYMMDD-SNNNNNN) with a valid date and check digit. */
    KR_RRN("kr-rrn", Pattern.compile("(?<!\\d)(\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])[ -]?([1-8])(\\d{6})(?!\\d)")),
    /** Payment card numbers: 13-19 digits starting 3-6 (the card networks' ranges), optionally grouped, passing the Luhn check. */
    CARD("card", Pattern.compile("(?<![\\d-])[3-6](?:[ -]?\\d){12,18}(?![\\d-])")),
    /** IPv4 and IPv6 addresses. */
    IP("ip", Pattern.compile("(?<![\\w.:])(?:"
            + "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "|(?:[0-9A-Fa-f]{1,4}|(?=::))(?::[0-9A-Fa-f]{0,4}){2,7}"
            + ")(?![\\w.:])"));

    private static final int[] RRN_WEIGHTS = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};

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
        throw new IllegalArgumentException("unknown detector '" + text + "', expected email, phone, kr-rrn, card or ip");
    }

    /**
     * Whether a text with these character counts could hold a match at all. Most values (event
     * names, platforms, versions) cannot, and skipping the regular expression for them is what
     * keeps detectors cheap.
     */
    boolean mayMatch(TextShape shape) {
        return switch (this) {
            case EMAIL -> shape.ats() > 0;
            case PHONE -> shape.digits() >= 8;
            case KR_RRN, CARD -> shape.digits() >= 13;
            case IP -> (shape.digits() >= 4 && shape.dots() >= 3) || shape.colons() >= 2;
        };
    }

    /** The spans {@code [start, end)} of what this detector recognises in the text. */
    public List<int[]> find(String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (confirmed(m)) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    private boolean confirmed(Matcher m) {
        return switch (this) {
            case KR_RRN -> rrnCheckDigitValid(m.group().replaceAll("[ -]", ""));
            case CARD -> luhnValid(m.group().replaceAll("[ -]", ""));
            case IP -> m.group().indexOf(':') < 0 || ipv6Valid(m.group());
            default -> true;
        };
    }

    /** The RRN check digit: (11 - sum(d_i * w_i) mod 11) mod 10 equals the 13th digit. */
    static boolean rrnCheckDigitValid(String digits) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * RRN_WEIGHTS[i];
        }
        return (11 - sum % 11) % 10 == digits.charAt(12) - '0';
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
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

    /** Counts of the characters the detectors' cheap pre-checks look at. */
    record TextShape(int digits, int ats, int dots, int colons) {
        static TextShape of(String text) {
            int digits = 0;
            int ats = 0;
            int dots = 0;
            int colons = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '@') {
                    ats++;
                } else if (c == '.') {
                    dots++;
                } else if (c == ':') {
                    colons++;
                }
            }
            return new TextShape(digits, ats, dots, colons);
        }
    }
}
