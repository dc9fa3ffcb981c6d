package io.sluice.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.sluice.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The bearer token {@code /dimensions} requires: checked in constant time, sent along when a query is forwarded to the
 * pod that owns the key, and never printed.
 */
public final class BearerToken {
    /** 128 bits of hex or base64 text at the least: anything shorter can be guessed by asking often enough. */
    static final int MIN_LENGTH = 24;

    private static final String SCHEME = "bearer ";

    private final String value;
    private final byte[] digest;

    private BearerToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /**
     * A token as read from its file or variable.
     *
     * @param key the configuration key it was read for, for the error message
     * @throws ConfigException naming the key (never the value) if the token is too short to be secret
     */
    public static BearerToken of(String key, String value) {
        String token = value.strip();
        if (token.length() < MIN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(
                    key,
                    "must be at least " + MIN_LENGTH + " printable characters without spaces "
                            + "(e.g. openssl rand -hex 32)");
        }
        return new BearerToken(token);
    }

    /**
     * Whether an {@code Authorization} header carries this token. Both sides are hashed first and the hashes compared with
     * {@link MessageDigest#isEqual}, so the time taken tells neither the token's length nor how much of a guess matched.
     */
    boolean admits(String authorization) {
        if (authorization == null
                || authorization.length() < SCHEME.length()
                || !authorization
                        .substring(0, SCHEME.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(SCHEME)) {
            return false;
        }
        return MessageDigest.isEqual(
                digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    /** The {@code Authorization} header value that carries this token. */
    String authorization() {
        return "Bearer " + value;
    }

    /** A filter answering 401 to any request without this token. */
    Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    chain.doFilter(exchange);
                    return;
                }
                byte[] body = "{\"error\":\"a bearer token is required (Authorization: Bearer ...)\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice\"");
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }

            @Override
            public String description() {
                return "bearer token";
            }
        };
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
