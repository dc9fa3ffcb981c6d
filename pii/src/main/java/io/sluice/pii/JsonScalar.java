package io.sluice.pii;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Writes the scalar values Sluice's rows hold straight to a JSON generator, as Jackson's data binding writes them: for JSON
 * columns written back after masking, and for anything else that must match data binding byte for byte (dedup
 * identities).
 */
public final class JsonScalar {
    private JsonScalar() {}

    /**
     * Writes null, text, a whole number (Integer, Long, BigInteger), a BigDecimal or a Boolean; anything else is left
     * unwritten for data binding to write.
     *
     * @return whether the value was written
     */
    public static boolean write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue()); // an int's digits are the same as a long's
        } else if (value instanceof BigDecimal number) {
            generator.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else {
            return false;
        }
        return true;
    }
}
