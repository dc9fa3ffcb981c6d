package io.sluice.bench;

import java.nio.charset.StandardCharsets;

/**
 * The send time carried inside a record, for end-to-end latency: curated topics are stamped with
 * their append time, so the only way to know when a curated record was sent is to carry it through
 * the pipeline in a field the policy keeps. Written as 13 letters ({@code a}–{@code j} for the
 * digits of epoch milliseconds), so no PII detector takes it for a phone or card number and it
 * passes the gate unchanged.
 */
final class LatencyStamp {
    /** What generated records carry until they are sent: as long as a stamp, so the bytes are stamped in place. */
    static final String PLACEHOLDER = "zzzzzzzzzzzzz";

    private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);

    private LatencyStamp() {}

    static String encode(long epochMillis) {
        String digits = String.format("%013d", epochMillis);
        StringBuilder letters = new StringBuilder(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            letters.append((char) ('a' + digits.charAt(i) - '0'));
        }
        return letters.toString();
    }

    /** The epoch milliseconds in a stamp, or -1 if the text is not one. */
    static long decode(Object text) {
        if (!(text instanceof CharSequence stamp) || stamp.length() != PLACEHOLDER.length()) {
            return -1;
        }
        long millis = 0;
        for (int i = 0; i < stamp.length(); i++) {
            int digit = stamp.charAt(i) - 'a';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            millis = millis * 10 + digit;
        }
        return millis;
    }

    /** Replaces the placeholder in a record's bytes by the stamp of {@code epochMillis}; false if it has none. */
    static boolean stamp(byte[] value, long epochMillis) {
        int at = indexOfPlaceholder(value);
        if (at < 0) {
            return false;
        }
        byte[] stamp = encode(epochMillis).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, value, at, stamp.length);
        return true;
    }

    private static int indexOfPlaceholder(byte[] value) {
        if (value == null) {
            return -1;
        }
        outer:
        for (int i = 0; i <= value.length - PLACEHOLDER_BYTES.length; i++) {
            for (int j = 0; j < PLACEHOLDER_BYTES.length; j++) {
                if (value[i + j] != PLACEHOLDER_BYTES[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
