package io.sluice.pii;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: {@code k<keyId>:<base64url or hex of HMAC-SHA256(key, canonical value)>}.
 *
 * <p>The canonical form of a value is its plain text (numbers in plain decimal), so the same
 * customer id gives the same pseudonym whether a CDC table stores it as a number or an MMP event
 * as a string, and the two still join. A plain salted digest is not enough: anyone with the salt
 * can enumerate phone numbers, and there is no way to rotate it.
 *
 * <p>Rotation: the first key writes new pseudonyms; older keys stay known, so pseudonyms already
 * written can still be recomputed for lookups ({@link #pseudonymWith}), and their key id tells
 * which key made them.
 */
public final class Pseudonymizer {
    private static final String ALGORITHM = "HmacSHA256";

    private final PiiKey writer;
    private final boolean hex;
    // A Mac per thread and key: creating one per record costs about half the throughput of the step.
    private final Map<String, ThreadLocal<Mac>> macs = new LinkedHashMap<>();

    /** A pseudonymizer with one key, writing base64url. */
    public Pseudonymizer(PiiKey key) {
        this(List.of(key), false);
    }

    /**
     * @param keys the writer key first, then the older keys that remain known
     * @param hex  hexadecimal instead of base64url digests
     */
    public Pseudonymizer(List<PiiKey> keys, boolean hex) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key is needed");
        }
        this.writer = keys.get(0);
        this.hex = hex;
        for (PiiKey key : keys) {
            byte[] secret = key.secret();
            newMac(secret); // fail at construction, not on the first record
            if (macs.put(key.id(), ThreadLocal.withInitial(() -> newMac(secret))) != null) {
                throw new IllegalArgumentException("key id " + key.id() + " is used twice");
            }
        }
    }

    /** The pseudonym of a non-null value, with the writer key. */
    public String pseudonym(Object value) {
        return pseudonymWith(writer.id(), value);
    }

    /** The pseudonym of a value with a known key, for lookups against pseudonyms written before a rotation. */
    public String pseudonymWith(String keyId, Object value) {
        ThreadLocal<Mac> mac = macs.get(keyId);
        if (mac == null) {
            throw new IllegalArgumentException("unknown key id " + keyId);
        }
        byte[] digest = mac.get().doFinal(canonical(value).getBytes(StandardCharsets.UTF_8));
        return "k" + keyId + ":"
                + (hex
                        ? HexFormat.of().formatHex(digest)
                        : Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
    }

    /** The id of the key new pseudonyms are made with. */
    public String keyId() {
        return writer.id();
    }

    /** Every key id this pseudonymizer knows. */
    public Set<String> knownKeyIds() {
        return Set.copyOf(macs.keySet());
    }

    static String canonical(Object value) {
        if (value instanceof BigDecimal decimal) {
            return canonical(decimal);
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    /**
     * Plain decimal where that is a sane length; a decimal from outside may be {@code 1E-2000000000},
     * whose plain form is two billion characters, so beyond {@link WholeNumber#MAX_PRECISION} digits
     * of precision or exponent it is hashed in its scientific form instead.
     */
    private static String canonical(BigDecimal decimal) {
        if (decimal.precision() > WholeNumber.MAX_PRECISION) {
            return decimal.toString();
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        return Math.abs((long) stripped.scale()) <= WholeNumber.MAX_PRECISION
                ? stripped.toPlainString()
                : stripped.toString();
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
