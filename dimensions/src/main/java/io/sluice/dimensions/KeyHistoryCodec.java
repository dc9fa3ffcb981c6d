package io.sluice.dimensions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.ColumnValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link KeyHistory} to and from the bytes kept in the state store: one format byte, then compact
 * JSON. The format byte lets a later layout be read beside this one; this build writes and reads
 * format 1:
 *
 * <pre>{"key":{..},"latest":ms,
 *  "base":{"opened":n,"open":[number,validFromMs,deleted,seq,op,updatedAtMs,{row}]|null,
 *          "live":b,"row":{..}|null,"at":ms|null,"horizon":seq|null},
 *  "changes":[[op,seq,commitMs,{row}],..]}</pre>
 *
 * Whole numbers read back as Long (BigDecimal beyond long) and other numbers as exact BigDecimal
 * (scale kept), as the decoder produces them; comparisons are canonical anyway, so a type that
 * changes on the way through never counts as a change. Errors name the problem, never a value.
 */
public final class KeyHistoryCodec {
    /** The format this build writes. */
    public static final byte FORMAT = 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** The state as bytes. */
    public byte[] encode(KeyHistory state) {
        ObjectNode root = JSON.createObjectNode();
        root.set("key", JSON.valueToTree(state.naturalKey()));
        root.put("latest", state.latestCommitMs());
        HistoryBaseline base = state.baseline();
        ObjectNode baseNode = root.putObject("base");
        baseNode.put("opened", base.versionsOpened());
        baseNode.set("open", base.open() == null ? null : openVersion(base.open()));
        baseNode.put("live", base.live());
        baseNode.set("row", JSON.valueToTree(base.lastRow()));
        baseNode.put("at", base.lastEffectiveMs());
        baseNode.put("horizon", base.horizon() == null ? null : base.horizon().text());
        ArrayNode changes = root.putArray("changes");
        for (DimensionChange change : state.changes()) {
            ArrayNode entry = changes.addArray();
            entry.add(change.op().code());
            entry.add(change.sequence().text());
            entry.add(change.commitTimeMs());
            entry.add(JSON.valueToTree(change.row()));
        }
        try {
            byte[] json = JSON.writeValueAsBytes(root);
            byte[] bytes = new byte[json.length + 1];
            bytes[0] = FORMAT;
            System.arraycopy(json, 0, bytes, 1, json.length);
            return bytes;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a dimension key's history", e);
        }
    }

    /** The state from bytes written by {@link #encode}. */
    public KeyHistory decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty dimension history state");
        }
        if (bytes[0] != FORMAT) {
            throw new IllegalArgumentException(
                    "dimension history state has format " + bytes[0] + "; this build reads format " + FORMAT);
        }
        try {
            JsonNode root = JSON.readTree(Arrays.copyOfRange(bytes, 1, bytes.length));
            Map<String, Object> key = columns(root.get("key"));
            JsonNode base = root.get("base");
            HistoryBaseline baseline = new HistoryBaseline(
                    base.get("opened").intValue(),
                    openVersion(base.get("open")),
                    base.get("live").booleanValue(),
                    base.get("row").isNull() ? null : columns(base.get("row")),
                    longOrNull(base.get("at")),
                    base.get("horizon").isNull()
                            ? null
                            : DimensionSequence.parse(base.get("horizon").textValue()));
            List<DimensionChange> changes = new ArrayList<>();
            for (JsonNode entry : root.get("changes")) {
                changes.add(new DimensionChange(
                        ChangeOp.ofCode(entry.get(0).textValue()),
                        DimensionSequence.parse(entry.get(1).textValue()),
                        entry.get(2).longValue(),
                        columns(entry.get(3)),
                        key));
            }
            return new KeyHistory(key, baseline, changes, root.get("latest").longValue());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("dimension history state is not valid format " + FORMAT, e);
        }
    }

    private static ArrayNode openVersion(DimensionVersion version) {
        ArrayNode node = JSON.createArrayNode();
        node.add(version.number());
        node.add(version.validFromMs());
        node.add(version.deleted());
        node.add(version.sequence().text());
        node.add(version.op().code());
        node.add(version.updatedAtMs());
        node.add(JSON.valueToTree(version.attributes()));
        return node;
    }

    private static DimensionVersion openVersion(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        return new DimensionVersion(
                node.get(0).intValue(),
                node.get(1).longValue(),
                null,
                node.get(2).booleanValue(),
                columns(node.get(6)),
                DimensionSequence.parse(node.get(3).textValue()),
                ChangeOp.ofCode(node.get(4).textValue()),
                node.get(5).longValue());
    }

    private static Map<String, Object> columns(JsonNode object) {
        // Rows hold only scalar column values (the decoders hand nested JSON over as text).
        return ColumnValues.of((ObjectNode) object);
    }

    private static Long longOrNull(JsonNode node) {
        return node.isNull() ? null : node.longValue();
    }
}
