package io.sluice.dimensions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code scd_id} of a version: the first 16 bytes of SHA-256, in hex, over the natural key and
 * the source sequence of the change that opened the version. Every part is length-prefixed and
 * typed, so no two different keys encode alike; nothing in it depends on arrival order, retries or
 * replays, so a re-emitted version keeps its id.
 */
final class ScdId {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    });

    private ScdId() {}

    static String of(List<String> keyColumns, Map<String, Object> naturalKey, DimensionSequence validFrom) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (String column : keyColumns) {
            update(digest, column);
            update(digest, CanonicalValue.tagged(naturalKey.get(column)));
        }
        update(digest, validFrom.text());
        byte[] hash = digest.digest();
        return HexFormat.of().formatHex(hash, 0, 16);
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
