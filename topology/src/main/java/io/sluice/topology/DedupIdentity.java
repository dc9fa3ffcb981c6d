package io.sluice.topology;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pii.JsonScalar;
import io.sluice.schemas.SourcePosition;
import io.sluice.serdes.CuratedRecordCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What makes two records the same event, computed from masked values only: the configured fields
 * (MMP: e.g. appsflyer_id, event_name, event_time), or for CDC the record key and the source
 * position — a connector restart re-delivers a change with the same position — falling back to a
 * digest of the curated value when the source block carries no position.
 */
public final class DedupIdentity {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> fields;
    private final String inputKey;

    /** Identity by fields; an empty list means key and source position. */
    public DedupIdentity(List<String> fields) {
        this(fields, null);
    }

    /**
     * Identity by fields, of an input whose records are keyed by the value of {@code inputKey} (one of the fields), or
     * null when they are keyed otherwise.
     */
    public DedupIdentity(List<String> fields, String inputKey) {
        this.fields = List.copyOf(fields);
        this.inputKey = inputKey;
    }

    /** Whether the identity is made of fields (so the curated record is keyed by it). */
    public boolean keyFields() {
        return !fields.isEmpty();
    }

    /** Whether records must be repartitioned by the identity before copies can meet. */
    public boolean repartitioned() {
        return keyFields() && inputKey == null;
    }

    /**
     * Whether a record's Kafka key is what the declared input key promises: the text of that field's value before
     * masking. Always true when no input key is declared.
     */
    public boolean keyedAsDeclared(byte[] recordKey, Map<String, Object> rawRow) {
        if (inputKey == null) {
            return true;
        }
        Object value = rawRow.get(inputKey);
        return value != null
                && recordKey != null
                && java.util.Arrays.equals(recordKey, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }

    /** The identity of a masked row, as bytes. */
    public byte[] of(Map<String, Object> curatedRow, byte[] curatedKey, SourcePosition position) {
        String text;
        if (!fields.isEmpty()) {
            List<Object> values = new ArrayList<>(fields.size());
            for (String field : fields) {
                values.add(curatedRow.get(field));
            }
            text = json(values);
        } else {
            String key = curatedKey == null ? "" : new String(curatedKey, StandardCharsets.UTF_8);
            text = key + "|"
                    + (position != null ? position.text() : "sha256:" + sha256(CuratedRecordCodec.json(curatedRow)));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The values as a JSON array, exactly as Jackson's data binding writes them (stored identities must keep matching),
     * through a generator: data binding's serializer lookups per value were most of the cost.
     */
    static String json(List<Object> values) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            generator.writeStartArray();
            for (Object value : values) {
                if (!JsonScalar.write(generator, value)) {
                    JSON.writeValue(generator, value);
                }
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a dedup identity", e);
        }
        return out.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
