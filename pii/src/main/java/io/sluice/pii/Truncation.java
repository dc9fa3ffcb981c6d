package io.sluice.pii;

/** {@code truncate}: keeps the first {@code length} characters of the value's text. */
public record Truncation(int length) implements ColumnTransform {

    public Truncation {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1");
        }
    }

    @Override
    public Object apply(Object value) {
        String text = String.valueOf(value);
        int cps = text.codePointCount(0, text.length());
        return cps <= length ? text : text.substring(0, text.offsetByCodePoints(0, length));
    }

    @Override
    public OutputType outputType() {
        return OutputType.STRING;
    }
}
