package io.sluice.pii;

import java.util.List;

/**
 * What makes thirteen digits {@code YYMMDD-SNNNNNN} a Korean resident (or foreigner) registration
 * number: a real birth date in the century the 7th digit names, and then one of: a valid check
 * digit, the hyphenated form, a context word shortly before it, or a field name that says so.
 *
 * <p>The check digit alone is not enough: numbers issued since October 2020 carry random digits
 * after the 7th, so about nine in ten of them fail it.
 */
final class ResidentNumbers {
    /** How far before a number a context word counts, in characters of the folded text. */
    static final int CONTEXT_WINDOW = 20;
    // Lower case; the window is compared ignoring ASCII case.
    private static final List<String> CONTEXT_WORDS =
            List.of("주민", "외국인", "등록번호", "resident", "rrn", "jumin", "registration", "national id", "ssn");
    private static final int[] WEIGHTS = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};

    private ResidentNumbers() {}

    /**
     * Whether {@code YYMMDD} and the 7th digit {@code S} name a real date: 1, 2, 5, 6 (residents and
     * foreigners born in the 1900s) and 3, 4, 7, 8 (born in the 2000s). The 1800s (9, 0) are not
     * issued to anyone alive.
     *
     * @param digits at least seven ASCII digits, from {@code offset}
     */
    static boolean validBirthDate(CharSequence digits, int offset) {
        int s = digit(digits, offset + 6);
        int century = switch (s) {
            case 1, 2, 5, 6 -> 1900;
            case 3, 4, 7, 8 -> 2000;
            default -> -1;
        };
        if (century < 0) {
            return false;
        }
        int year = century + digit(digits, offset) * 10 + digit(digits, offset + 1);
        int month = digit(digits, offset + 2) * 10 + digit(digits, offset + 3);
        int day = digit(digits, offset + 4) * 10 + digit(digits, offset + 5);
        return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
    }

    /** The check digit of numbers issued before October 2020: (11 - sum(d_i * w_i) mod 11) mod 10 equals the 13th digit. */
    static boolean checkDigitValid(CharSequence digits) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += digit(digits, i) * WEIGHTS[i];
        }
        return (11 - sum % 11) % 10 == digit(digits, 12);
    }

    /** Whether a context word ends within {@link #CONTEXT_WINDOW} characters before {@code start}. */
    static boolean contextBefore(String text, int start) {
        int from = Math.max(0, start - CONTEXT_WINDOW);
        for (String word : CONTEXT_WORDS) {
            for (int at = from; at + word.length() <= start; at++) {
                if (text.regionMatches(true, at, word, 0, word.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a candidate {@code YYMMDD[ -]SNNNNNN} at {@code [start, end)} of a folded text is an
     * RRN: a real birth date, then the check digit, the hyphen, a context word before it, or the name.
     */
    static boolean confirmedInText(String text, int start, int end, FieldName field) {
        boolean separated = end - start == 14;
        String digits = separated
                ? text.substring(start, start + 6) + text.substring(start + 7, end)
                : text.substring(start, end);
        if (!validBirthDate(digits, 0)) {
            return false;
        }
        return checkDigitValid(digits)
                || (separated && text.charAt(start + 6) == '-')
                || contextBefore(text, start)
                || field.saysRrn();
    }

    /**
     * Whether the digits of a whole number are an RRN. Only under a telling name: as numbers, epoch
     * millis of 2016-2017 read as valid RRNs, check digit and all. Someone born in 2000-2009 has an
     * RRN starting with zeros, which a number drops: they are put back.
     */
    static boolean confirmedAsNumber(String digits, FieldName field) {
        if (!field.saysRrn() || digits.length() < 10 || digits.length() > 13) {
            return false;
        }
        return validBirthDate("0".repeat(13 - digits.length()) + digits, 0);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int digit(CharSequence digits, int at) {
        return digits.charAt(at) - '0';
    }
}
