package io.sluice.schemas;

import java.math.BigDecimal;

/**
 * The numbers Sluice accepts from outside: every value a source database stores, and nothing whose
 * plain text would be unbounded. A number's digits must lie within {@value #MAX_INTEGER_DIGITS} places
 * before the decimal point and {@value #MAX_FRACTION_DIGITS} after it, which is PostgreSQL's
 * {@code numeric} (the widest of the supported databases; MySQL's DECIMAL(65,30) and SQL Server's
 * decimal(38) fit inside). So {@code 1e-2000000000} and {@code 1e999999999} are refused before anything
 * multiplies, rescales or formats them, while the plain text of any accepted number stays under
 * {@value #MAX_TEXT_LENGTH} characters. Decoders refuse what lies beyond (serdes' {@code NumberBounds}); the
 * schema model checks again, so nothing downstream of it ever formats an unbounded BigDecimal.
 */
public final class NumberLimits {
    /** Most digits before the decimal point: PostgreSQL numeric's 131072. */
    public static final int MAX_INTEGER_DIGITS = 131_072;
    /** Most digits after the decimal point: PostgreSQL numeric's 16383. */
    public static final int MAX_FRACTION_DIGITS = 16_383;
    /** Longest number text accepted: every digit, a sign, a point and an exponent's worth of slack. */
    public static final int MAX_TEXT_LENGTH = MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 16;
    /** Upper bound on the unscaled value's bits: log2(10) times the most digits an accepted number has. */
    private static final long MAX_UNSCALED_BITS =
            (long) Math.ceil((MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS) * 3.3219280948873626) + 1;

    private NumberLimits() {}

    /** Whether the number is within the bounds (its plain text is then at most {@link #MAX_TEXT_LENGTH} characters). */
    public static boolean within(BigDecimal value) {
        if (value.scale() > MAX_FRACTION_DIGITS || value.scale() < -MAX_INTEGER_DIGITS) {
            return false;
        }
        if (value.unscaledValue().bitLength() > MAX_UNSCALED_BITS) {
            return false; // checked before precision(), which costs more the longer the number
        }
        return (long) value.precision() - value.scale() <= MAX_INTEGER_DIGITS;
    }
}
