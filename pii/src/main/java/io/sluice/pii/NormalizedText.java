package io.sluice.pii;

/**
 * A text as the detectors read it: look-alike characters folded to ASCII, invisible ones removed,
 * with a map from every character back to the original text.
 *
 * <p>Korean input methods type full-width digits and hyphens ({@code ９００１０１－１２３４５６７}),
 * copied text carries zero-width spaces and no-break spaces, and a pattern written for ASCII sees
 * none of it. Folding happens once per text, before every detector; hits are mapped back so that
 * a replacement covers the characters that were really there.
 *
 * <p>What is folded: the full-width ASCII forms (U+FF01–FF5E: digits, letters, {@code ＠ ． － ：});
 * hyphens, dashes and minus signs (U+2010–2015, U+2212, U+FE58, U+FE63) to {@code -}; every
 * decimal digit of another script to its ASCII digit; every space separator (no-break space,
 * U+3000 ideographic space, …) to a space. Removed: format characters (zero-width space and
 * joiners U+200B–200D, word joiner U+2060, byte-order mark U+FEFF, soft hyphen, direction marks).
 */
final class NormalizedText {
    private static final int REMOVE = -1;

    private final String original;
    private final String text;
    // For each character of text, where it came from in the original: [starts[i], ends[i]). Null when nothing changed.
    private final int[] starts;
    private final int[] ends;

    private NormalizedText(String original, String text, int[] starts, int[] ends) {
        this.original = original;
        this.text = text;
        this.starts = starts;
        this.ends = ends;
    }

    /** The text as given, for a text already known to need no folding (plain ASCII). */
    static NormalizedText ascii(String text) {
        return new NormalizedText(text, text, null, null);
    }

    /** Folds a text; allocates nothing beyond this object when there is nothing to fold (most non-ASCII text, Hangul included). */
    static NormalizedText of(String original) {
        int first = firstChange(original);
        if (first < 0) {
            return ascii(original);
        }
        int length = original.length();
        StringBuilder sb = new StringBuilder(length);
        int[] starts = new int[length];
        int[] ends = new int[length];
        sb.append(original, 0, first);
        for (int i = 0; i < first; i++) {
            starts[i] = i;
            ends[i] = i + 1;
        }
        int i = first;
        while (i < length) {
            int cp = original.codePointAt(i);
            int width = Character.charCount(cp);
            int folded = fold(cp);
            if (folded == cp) {
                for (int k = 0; k < width; k++) {
                    starts[sb.length()] = i + k;
                    ends[sb.length()] = i + k + 1;
                    sb.append(original.charAt(i + k));
                }
            } else if (folded != REMOVE) {
                starts[sb.length()] = i;
                ends[sb.length()] = i + width;
                sb.append((char) folded);
            }
            i += width;
        }
        return new NormalizedText(original, sb.toString(), starts, ends);
    }

    /** The folded text the detectors read. */
    String text() {
        return text;
    }

    /** The text as it was given. */
    String original() {
        return original;
    }

    /** Whether folding changed anything. */
    boolean changed() {
        return starts != null;
    }

    /** Where a span {@code [start, end)} of the folded text begins in the original. */
    int originalStart(int start) {
        return starts == null ? start : starts[start];
    }

    /**
     * Where a non-empty span ending at {@code end} (exclusive) of the folded text ends in the
     * original. Removed characters inside the span are covered by it.
     */
    int originalEnd(int end) {
        return ends == null ? end : ends[end - 1];
    }

    private static int firstChange(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            int cp = text.codePointAt(i);
            if (fold(cp) != cp) {
                return i;
            }
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
        }
        return -1;
    }

    /** The ASCII character a code point reads as, {@link #REMOVE}, or the code point itself. */
    private static int fold(int cp) {
        if (cp < 0x80) {
            return cp;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            return cp - 0xFEE0; // the full-width forms mirror ASCII 0x21-0x7E
        }
        if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63) {
            return '-';
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT) {
            return REMOVE;
        }
        if (type == Character.SPACE_SEPARATOR
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return ' ';
        }
        if (type == Character.DECIMAL_DIGIT_NUMBER) {
            return '0' + Character.digit(cp, 10);
        }
        return cp;
    }
}
