package io.sluice.pii;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: {@code k<keyId>:<base64url(HMAC-SHA256(key, canonical value))>}.
 *
 * <p>The canonical form of a value is its plain text (numbers in plain decimal), so the same
 * customer id gives the same pseudonym whether a CDC table stores it as a number or an MMP event
 * as a string, and the two still join. A plain salted digest is not enough: anyone with the salt
 * can enumerate phone numbers, and there is no way to rotate it.
 */
public final class Pseudonymizer {
    private static final String ALGORITHM = "HmacSHA256";

    private final PiiKey key;
    private final String prefix;
    // A Mac per thread: creating one per record costs about half the throughput of the step.
    private final ThreadLocal<Mac> mac;

    /** A pseudonymizer with one active key. */
    public Pseudonymizer(PiiKey key) {
        this.key = key;
        this.prefix = "k" + key.id() + ":";
        byte[] secret = key.secret();
        this.mac = ThreadLocal.withInitial(() -> newMac(secret));
        newMac(secret); // fail at construction, not on the first record
    }

    /** The pseudonym of a non-null value. */
    public String pseudonym(Object value) {
        byte[] digest = mac.get().doFinal(canonical(value).getBytes(StandardCharsets.UTF_8));
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** The id of the key pseudonyms are made with. */
    public String keyId() {
        return key.id();
    }

    static String canonical(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static Mac newMac(byte[] secret) {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(new SecretKeySpec(secret, ALGORITHM));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
