package io.sluice.serdes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.CuratedFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shapes masked rows as curated rows: Sluice's metadata columns ({@link CuratedFields}) first, then
 * the surviving source columns; curated keys are the masked key columns as JSON.
 */
public final class CuratedRecordCodec {

    private CuratedRecordCodec() {}

    /**
     * The curated row for a masked row.
     *
     * @param decoded the decoded record, for its metadata (op, event time, deleted flag)
     * @param masked  the masked columns: the only values written
     */
    public static Map<String, Object> row(DecodedRecord decoded, Map<String, Object> masked) {
        Map<String, Object> out = metadata(decoded, masked.size());
        // A source column may not impersonate Sluice's own metadata.
        masked.forEach(out::putIfAbsent);
        return out;
    }

    /**
     * A curated row holding only Sluice's metadata columns, with room for {@code columns} more: masking adds the
     * source's columns to it where a name is not taken ({@code MaskingPolicy.maskInto}), so a source column may not
     * impersonate the metadata, and the row is not copied once more.
     */
    public static Map<String, Object> metadata(DecodedRecord decoded, int columns) {
        // Sized for the row and the metadata columns, so it never rehashes while it is filled.
        Map<String, Object> out = new LinkedHashMap<>((columns + 4) * 4 / 3 + 1);
        if (decoded.op() != null) {
            out.put(CuratedFields.OP, decoded.op());
            out.put(CuratedFields.DELETED, decoded.deleted());
        }
        out.put(CuratedFields.EVENT_TIME, decoded.eventTimeMs());
        if (decoded.position() != null) {
            out.put(CuratedFields.SOURCE_SEQ, decoded.position().text());
        }
        return out;
    }

    /** The curated key for masked key columns, or null when no key column survives masking. */
    public static byte[] encodeKey(Map<String, Object> maskedKey) {
        if (maskedKey == null || maskedKey.isEmpty()) {
            return null;
        }
        return json(maskedKey);
    }

    /** A row as JSON bytes (dedup identities of rows without key or position hash them). */
    public static byte[] json(Map<String, Object> row) {
        ObjectNode out = JsonTree.MAPPER.createObjectNode();
        row.forEach(out::putPOJO);
        return write(out);
    }

    private static byte[] write(ObjectNode node) {
        try {
            return JsonTree.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a curated row", e);
        }
    }
}
