package io.sluice.pii;

/**
 * {@code mask}: replaces characters with '*' but for the first {@code keepFirst} and last
 * {@code keepLast}; in e-mail style, masks the local part (but for its first {@code keepFirst}
 * characters) and keeps the domain. The length is kept, so formats stay recognisable.
 */
public record PartialMask(int keepFirst, int keepLast, boolean emailStyle) implements ColumnTransform {
    private static final char MASK = '*';

    public PartialMask {
        if (keepFirst < 0 || keepLast < 0) {
            throw new IllegalArgumentException("keepFirst and keepLast must not be negative");
        }
    }

    @Override
    public Object apply(Object value) {
        String text = String.valueOf(value);
        if (emailStyle) {
            int at = text.lastIndexOf('@');
            if (at > 0) {
                return mask(text.substring(0, at), keepFirst, 0) + text.substring(at);
            }
            return mask(text, 0, 0);
        }
        return mask(text, keepFirst, keepLast);
    }

    private static String mask(String text, int first, int last) {
        int[] cps = text.codePoints().toArray();
        StringBuilder sb = new StringBuilder(text.length());
        // Never reveal everything: a short value is masked whole.
        boolean reveal = first + last < cps.length;
        for (int i = 0; i < cps.length; i++) {
            boolean keep = reveal && (i < first || i >= cps.length - last);
            sb.appendCodePoint(keep ? cps[i] : MASK);
        }
        return sb.toString();
    }

    @Override
    public OutputType outputType() {
        return OutputType.STRING;
    }
}
