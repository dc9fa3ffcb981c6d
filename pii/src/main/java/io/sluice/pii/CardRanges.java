package io.sluice.pii;

import java.util.ArrayList;
import java.util.List;

/**
 * The payment card networks' issuer ranges (IIN prefixes), the lengths each network issues and
 * whether it uses the Luhn check; and which part of a run of digit groups in text is a card. The most specific range that a number starts with decides: a
 * number starting {@code 6011} is Discover (16–19 digits), not Maestro's wider {@code 60} (12–19).
 *
 * <p>UnionPay ({@code 62}) does not put a Luhn check digit on every card. A 16–19-digit number
 * starting {@code 62} that fails Luhn is still a card when it is written in groups of four, as
 * cards are printed; written bare, it cannot be told from an order or trace number and is left
 * alone.
 */
final class CardRanges {
    /** Fewest digits any network issues (Maestro). */
    static final int MIN_LENGTH = 12;
    /** Most digits any network issues. */
    static final int MAX_LENGTH = 19;

    private enum Check {
        LUHN,
        LUHN_OR_GROUPED
    }

    /**
     * @param low      first prefix of the range
     * @param high     last prefix of the range
     * @param digits   how many leading digits the prefix has
     * @param lengths  bit {@code n} set: the network issues {@code n}-digit numbers
     */
    private record Range(String network, int low, int high, int digits, int lengths, Check check) {
        boolean contains(CharSequence number) {
            int prefix = 0;
            for (int i = 0; i < digits; i++) {
                prefix = prefix * 10 + number.charAt(i) - '0';
            }
            return prefix >= low && prefix <= high;
        }

        boolean issues(int length) {
            return (lengths >>> length & 1) == 1;
        }
    }

    // Most specific prefix first; the first range a number starts with decides.
    private static final List<Range> RANGES = List.of(
            range("discover", 6011, 6011, lengths(16, 19)),
            range("mastercard", 2221, 2720, lengths(16, 16)),
            range("jcb", 3528, 3589, lengths(16, 19)),
            range("discover", 644, 649, lengths(16, 19)),
            range("diners", 300, 305, lengths(14, 19)),
            range("visa", 4, 4, 1 << 13 | 1 << 16 | 1 << 19),
            range("mastercard", 51, 55, lengths(16, 16)),
            range("amex", 34, 34, lengths(15, 15)),
            range("amex", 37, 37, lengths(15, 15)),
            range("diners", 36, 36, lengths(14, 19)),
            range("diners", 38, 39, lengths(14, 19)),
            range("discover", 65, 65, lengths(16, 19)),
            // Discover's 622126-622925 are UnionPay cards accepted on Discover's network: this range holds them.
            new Range("unionpay", 62, 62, 2, lengths(16, 19), Check.LUHN_OR_GROUPED),
            // Maestro last: its ranges are the catch-all of what the networks above have not claimed.
            range("maestro", 50, 50, lengths(12, 19)),
            range("maestro", 56, 69, lengths(12, 19)));

    private CardRanges() {}

    /**
     * Whether the digits are a card number some network issues.
     *
     * @param digits          ASCII digits only
     * @param groupedInFours  whether the text showed them in groups of four, as printed on a card
     */
    static boolean isCardNumber(CharSequence digits, boolean groupedInFours) {
        int length = digits.length();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return false;
        }
        for (Range range : RANGES) {
            if (range.contains(digits)) {
                if (!range.issues(length)) {
                    return false;
                }
                return luhnValid(digits) || (range.check() == Check.LUHN_OR_GROUPED && groupedInFours);
            }
        }
        return false;
    }

    /**
     * Adds the card in a candidate span of text: the span as a whole, or else the longest run of whole
     * space-separated groups inside it that is one: "4111 1111 1111 1111 10 items" holds a card
     * followed by a count. Hyphens bind: a hyphenated run is one identifier, and is not cut up.
     */
    static void addCardIn(String text, int start, int end, List<int[]> spans) {
        String candidate = text.substring(start, end);
        if (isCardNumber(digitsOnly(candidate), groupedInFours(candidate))) {
            spans.add(new int[] {start, end});
            return;
        }
        List<int[]> groups = groups(candidate);
        if (groups.size() < 2) {
            return;
        }
        int[] best = null;
        for (int first = 0; first < groups.size(); first++) {
            for (int last = groups.size() - 1; last >= first; last--) {
                if (first == 0 && last == groups.size() - 1) {
                    continue; // the whole candidate, tried above
                }
                String part = candidate.substring(groups.get(first)[0], groups.get(last)[1]);
                String digits = digitsOnly(part);
                boolean longer = best == null || digits.length() > best[2];
                if (longer && isCardNumber(digits, groupedInFours(part))) {
                    best = new int[] {groups.get(first)[0], groups.get(last)[1], digits.length()};
                }
            }
        }
        if (best != null) {
            spans.add(new int[] {start + best[0], start + best[1]});
        }
    }

    /** The [start, end) of each space-separated group. */
    private static List<int[]> groups(String candidate) {
        List<int[]> groups = new ArrayList<>();
        int i = 0;
        while (i < candidate.length()) {
            int s = i;
            while (i < candidate.length() && candidate.charAt(i) != ' ') {
                i++;
            }
            groups.add(new int[] {s, i});
            i++; // the space
        }
        return groups;
    }

    /** Printed like a card: four or more groups, all of four digits but the last, which has one to four. */
    static boolean groupedInFours(String candidate) {
        String[] groups = candidate.split("[ -]", -1);
        if (groups.length < 4) {
            return false;
        }
        for (int i = 0; i < groups.length - 1; i++) {
            if (groups[i].length() != 4) {
                return false;
            }
        }
        int last = groups[groups.length - 1].length();
        return last >= 1 && last <= 4;
    }

    private static String digitsOnly(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The Luhn (mod 10) check over all digits, the last being the check digit. */
    static boolean luhnValid(CharSequence digits) {
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

    private static Range range(String network, int low, int high, int lengths) {
        return new Range(network, low, high, Integer.toString(low).length(), lengths, Check.LUHN);
    }

    private static int lengths(int min, int max) {
        int bits = 0;
        for (int n = min; n <= max; n++) {
            bits |= 1 << n;
        }
        return bits;
    }
}
