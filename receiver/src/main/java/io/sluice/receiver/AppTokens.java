package io.sluice.receiver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** The apps a receiver accepts pushes for, each with its shared token, compared in constant time. */
public final class AppTokens {
    private final Map<String, byte[]> tokens;

    /** Tokens by app id (as in the push path). */
    public AppTokens(Map<String, byte[]> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    /** Whether pushes for this app are accepted at all. */
    public boolean knows(String app) {
        return tokens.containsKey(app);
    }

    /** Whether {@code presented} is the app's token; false for an unknown app or a missing token. */
    public boolean accepts(String app, String presented) {
        byte[] expected = tokens.get(app);
        if (expected == null || presented == null) {
            return false;
        }
        // MessageDigest.isEqual takes the same time whatever the first differing byte; only the length can show
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The app ids, for metric tags (never an id a request made up). */
    public java.util.Set<String> apps() {
        return tokens.keySet();
    }
}
