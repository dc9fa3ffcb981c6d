package io.sluice.pii;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pseudonymisation key with its id. The id is written into every pseudonym so that keys can
 * rotate without old and new pseudonyms being mistaken for each other. {@link #toString()} never
 * shows the secret, and no error message quotes it.
 */
public final class PiiKey {
    /** HMAC-SHA256's own block of security: shorter keys make small value spaces easier to brute-force. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,16}");

    private final String id;
    private final byte[] secret;

    private PiiKey(String id, byte[] secret) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id must be 1-16 letters or digits");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "key must be at least " + MIN_SECRET_BYTES + " bytes, got " + secret.length);
        }
        this.id = id;
        this.secret = secret.clone();
    }

    /**
     * A key from its configured text: {@code base64:<data>} for binary keys, otherwise the text's
     * UTF-8 bytes.
     */
    public static PiiKey fromText(String id, String text) {
        Objects.requireNonNull(text, "key text");
        String trimmed = text.strip();
        byte[] bytes;
        if (trimmed.startsWith("base64:")) {
            try {
                bytes = Base64.getDecoder().decode(trimmed.substring("base64:".length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key after 'base64:' is not valid base64");
            }
        } else {
            bytes = trimmed.getBytes(StandardCharsets.UTF_8);
        }
        return new PiiKey(id, bytes);
    }

    /** The key id written into pseudonyms. */
    public String id() {
        return id;
    }

    byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "PiiKey{id=" + id + ", secret=<redacted>}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PiiKey other && other.id.equals(id) && Arrays.equals(other.secret, secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
