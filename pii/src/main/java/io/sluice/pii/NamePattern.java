package io.sluice.pii;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A name selector with {@code *} wildcards, as written in masking rules ({@code "*_name"},
 * {@code "users"}, {@code "*"}), and how specific it is.
 */
public final class NamePattern {
    private static final NamePattern ANY = new NamePattern("*");

    private final String text;
    private final Pattern regex;

    private NamePattern(String text) {
        this.text = text;
        StringBuilder sb = new StringBuilder();
        for (String part : text.split("\\*", -1)) {
            if (!sb.isEmpty()) {
                sb.append(".*");
            }
            sb.append(Pattern.quote(part));
        }
        this.regex = Pattern.compile(sb.toString());
    }

    /** A pattern from configuration; {@code null} or blank means any name. */
    public static NamePattern of(String text) {
        if (text == null || text.isBlank() || text.equals("*")) {
            return ANY;
        }
        return new NamePattern(text);
    }

    /** Whether the name matches. */
    public boolean matches(String name) {
        return this == ANY || regex.matcher(name).matches();
    }

    /**
     * 2 for an exact name, 1 for a pattern with literal characters, 0 for "any": an exact selector
     * always beats a wildcard one.
     */
    int specificity() {
        if (this == ANY) {
            return 0;
        }
        return text.contains("*") ? 1 : 2;
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
