package io.sluice.serdes;

import io.sluice.schemas.NumberLimits;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The numbers Sluice accepts from outside: every value a source database stores, and nothing whose
 * plain text would be unbounded. A number's digits must lie within {@value #MAX_INTEGER_DIGITS} places
 * before the decimal point and {@value #MAX_FRACTION_DIGITS} after it, which is PostgreSQL's
 * {@code numeric} (the widest of the supported databases; MySQL's DECIMAL(65,30) and SQL Server's
 * decimal(38) fit inside). So {@code 1e-2000000000} and {@code 1e999999999} are refused before anything
 * multiplies, rescales or formats them, while the plain text of any accepted number stays under
 * {@value #MAX_TEXT_LENGTH} characters. Decoders throw {@code number-out-of-range}; the encoders check
 * again, so nothing downstream of them ever formats an unbounded BigDecimal.
 */
public final class NumberBounds {
    /** Most digits before the decimal point: {@link NumberLimits#MAX_INTEGER_DIGITS}. */
    public static final int MAX_INTEGER_DIGITS = NumberLimits.MAX_INTEGER_DIGITS;
    /** Most digits after the decimal point: {@link NumberLimits#MAX_FRACTION_DIGITS}. */
    public static final int MAX_FRACTION_DIGITS = NumberLimits.MAX_FRACTION_DIGITS;
    /** Longest number text accepted: {@link NumberLimits#MAX_TEXT_LENGTH}. */
    public static final int MAX_TEXT_LENGTH = NumberLimits.MAX_TEXT_LENGTH;
    /** Number syntax, possessive throughout so that a megabyte of digits matches or fails in linear time. */
    private static final Pattern NUMBER_SYNTAX =
            Pattern.compile("[+-]?+(\\d++(\\.\\d*+)?+|\\.\\d++)([eE][+-]?+\\d++)?+");

    private NumberBounds() {}

    /** Whether the number is within the bounds (its plain text is then at most {@link #MAX_TEXT_LENGTH} characters). */
    public static boolean within(BigDecimal value) {
        return NumberLimits.within(value);
    }

    /**
     * The number, if within the bounds.
     *
     * @param field names the field in the exception's message (the value itself never appears)
     */
    public static BigDecimal check(BigDecimal value, String field) throws DecodeException {
        if (!within(value)) {
            throw outOfRange(field);
        }
        return value;
    }

    /**
     * Parses number text (an optional sign, digits with an optional point, an optional exponent) within the bounds.
     *
     * @return the number, or null when the text is not a number at all
     * @throws DecodeException {@code number-out-of-range} when it is a number beyond the bounds, however large its exponent
     */
    public static BigDecimal parse(String text, String field) throws DecodeException {
        if (text.length() > MAX_TEXT_LENGTH) {
            if (NUMBER_SYNTAX.matcher(text).matches()) {
                throw outOfRange(field);
            }
            return null;
        }
        try {
            return check(new BigDecimal(text), field);
        } catch (NumberFormatException e) {
            if (NUMBER_SYNTAX.matcher(text).matches()) {
                throw outOfRange(field); // an exponent beyond int: BigDecimal refuses it
            }
            return null;
        }
    }

    /** The decode failure for a number beyond the bounds, naming the field. */
    public static DecodeException outOfRange(String field) {
        return new DecodeException(
                "number-out-of-range",
                field + " holds a number beyond " + MAX_INTEGER_DIGITS + " digits before the point or "
                        + MAX_FRACTION_DIGITS + " after it");
    }
}
