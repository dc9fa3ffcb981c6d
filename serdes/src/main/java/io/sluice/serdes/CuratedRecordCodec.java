package io.sluice.serdes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.CuratedFields;
import java.util.Map;

/**
 * Encodes masked rows as curated-topic records: a flat JSON object with Sluice's metadata columns
 * ({@link CuratedFields}) first, then the surviving source columns.
 */
public final class CuratedRecordCodec {

    private CuratedRecordCodec() {
    }

    /**
     * The curated value for a masked row.
     *
     * @param decoded the decoded record, for its metadata (op, event time, deleted flag)
     * @param masked  the masked columns: the only values written
     */
    public static byte[] encodeValue(DecodedRecord decoded, Map<String, Object> masked) {
        ObjectNode out = JsonTree.MAPPER.createObjectNode();
        if (decoded.op() != null) {
            out.put(CuratedFields.OP, decoded.op());
            out.put(CuratedFields.DELETED, decoded.deleted());
        }
        out.put(CuratedFields.EVENT_TIME, decoded.eventTimeMs());
        if (decoded.position() != null) {
            out.put(CuratedFields.SOURCE_SEQ, decoded.position().text());
        }
        putColumns(out, masked);
        return write(out);
    }

    /** The curated key for masked key columns, or null when no key column survives masking. */
    public static byte[] encodeKey(Map<String, Object> maskedKey) {
        if (maskedKey == null || maskedKey.isEmpty()) {
            return null;
        }
        ObjectNode out = JsonTree.MAPPER.createObjectNode();
        putColumns(out, maskedKey);
        return write(out);
    }

    private static void putColumns(ObjectNode out, Map<String, Object> columns) {
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            // A source column may not impersonate Sluice's own metadata.
            if (!out.has(column.getKey())) {
                out.putPOJO(column.getKey(), column.getValue());
            }
        }
    }

    private static byte[] write(ObjectNode node) {
        try {
            return JsonTree.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a curated row", e);
        }
    }
}
