package io.sluice.pii;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Whole numbers read out of numeric values of any Java type without trusting their size. A
 * decimal from outside may be {@code 1E-2000000000}: {@code toPlainString()} or {@code setScale(0)}
 * on it would build two billion digits. Every conversion here looks at {@code precision()} and
 * {@code scale()} first.
 */
final class WholeNumber {
    /** Most significant digits a decimal may have before it is refused rather than rounded. */
    static final int MAX_PRECISION = 1000;
    // Detectors look for card numbers (up to 19 digits), phones and RRNs; longer numbers are none of those.
    private static final int MAX_DETECTED_DIGITS = 19;
    private static final long[] POWERS_OF_TEN = new long[MAX_DETECTED_DIGITS];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private WholeNumber() {}

    /**
     * The magnitude of a whole number that detectors may read: an integral value of any numeric
     * type below 10^19 (no card, phone or RRN is longer); -1 for anything else (fractions, longer
     * numbers, non-numbers).
     */
    static long magnitudeOf(Object value) {
        long whole;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            whole = ((Number) value).longValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                return -1;
            }
            whole = big.longValue();
        } else if (value instanceof BigDecimal decimal) {
            // Bounded before anything converts it; longValue() below rescales (JDK 17 happens to skip
            // exponents of 64 and more, but that is its business, not a guarantee this code leans on).
            if (decimal.precision() > 2 * MAX_DETECTED_DIGITS
                    || decimal.precision() - (long) decimal.scale() > MAX_DETECTED_DIGITS) {
                return -1;
            }
            BigDecimal stripped = decimal.stripTrailingZeros();
            if (stripped.scale() > 0) {
                return -1;
            }
            whole = stripped.longValue(); // at most 19 digits and integral: exact unless above Long.MAX_VALUE
            if (BigDecimal.valueOf(whole).compareTo(stripped) != 0) {
                return -1;
            }
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!(Math.abs(d) < 9e18) || d != Math.rint(d)) {
                return -1;
            }
            whole = (long) d;
        } else {
            return -1;
        }
        return whole == Long.MIN_VALUE ? -1 : Math.abs(whole);
    }

    /** How many decimal digits a non-negative number has (comparisons only: this runs for every kept number). */
    static int digitCount(long magnitude) {
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && magnitude >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        return digits;
    }

    /** The first decimal digit of a non-negative number with {@code digits} digits. */
    static int leadingDigit(long magnitude, int digits) {
        return (int) (magnitude / POWERS_OF_TEN[digits - 1]);
    }

    /**
     * The largest whole number not above the value.
     *
     * @throws MaskingFailure {@code not-a-number} for NaN and infinities, {@code number-out-of-range}
     *                        outside the range of a long or with more than {@link #MAX_PRECISION} digits
     */
    static long floor(Number value) throws MaskingFailure {
        if (value instanceof BigDecimal decimal) {
            return floor(decimal);
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw outOfRange();
            }
            return big.longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new MaskingFailure("not-a-number", "value is not a finite number");
            }
            double floor = Math.floor(d);
            if (floor < -0x1p63 || floor >= 0x1p63) {
                throw outOfRange();
            }
            return (long) floor;
        }
        return value.longValue();
    }

    private static long floor(BigDecimal decimal) throws MaskingFailure {
        if (decimal.signum() == 0) {
            return 0;
        }
        if (decimal.precision() > MAX_PRECISION) {
            throw outOfRange();
        }
        long integerDigits = decimal.precision() - (long) decimal.scale();
        if (integerDigits > MAX_DETECTED_DIGITS) {
            throw outOfRange();
        }
        if (integerDigits <= 0) {
            return decimal.signum() < 0 ? -1 : 0; // |value| < 1, however many zeros follow the point
        }
        try {
            // scale < precision <= MAX_PRECISION here, so this divides by a bounded power of ten
            return decimal.setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            throw outOfRange();
        }
    }

    private static MaskingFailure outOfRange() {
        return new MaskingFailure("number-out-of-range", "number is outside the range of a 64-bit whole number");
    }
}
