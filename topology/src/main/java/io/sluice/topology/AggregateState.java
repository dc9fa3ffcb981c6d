package io.sluice.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.AggregateConfig;
import io.sluice.serdes.NumberBounds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

/**
 * The running measures of one group in one window: count, sums, minimums, maximums, and distinct
 * counts as HyperLogLog sketches (Apache DataSketches, lgK 12: about 1.6% relative standard error,
 * 3.3% at 95% confidence; exact below a few hundred distinct values). Stored as JSON, sketches in
 * base64, in a window store.
 */
final class AggregateState {
    /** Sketch size: 2^12 buckets, a few KB per distinct measure, ~1.6% error. */
    static final int LG_K = 12;
    // Sums and extremes keep their scale across the store: 2.00 must not come back as 2.0.
    private static final ObjectMapper JSON = io.sluice.serdes.JsonTree.MAPPER;

    private final List<AggregateConfig.Measure> measures;
    private final ObjectNode values;

    private AggregateState(List<AggregateConfig.Measure> measures, ObjectNode values) {
        this.measures = measures;
        this.values = values;
    }

    static AggregateState empty(List<AggregateConfig.Measure> measures) {
        return new AggregateState(measures, JSON.createObjectNode());
    }

    static AggregateState read(List<AggregateConfig.Measure> measures, byte[] bytes) {
        try {
            return new AggregateState(measures, (ObjectNode) JSON.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt aggregate state", e);
        }
    }

    byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds one row (a curated row, masked values only). */
    void add(JsonNode row) {
        for (AggregateConfig.Measure m : measures) {
            String column = m.column();
            JsonNode v = m.field() == null ? null : row.get(m.field());
            switch (m.kind()) {
                case COUNT -> values.put(column, values.path(column).asLong(0) + 1);
                case SUM -> {
                    BigDecimal addend = number(v);
                    if (addend != null) {
                        values.put(column, values.path(column).decimalValue().add(addend));
                    }
                }
                case MIN, MAX -> {
                    BigDecimal candidate = number(v);
                    if (candidate != null) {
                        BigDecimal current =
                                values.has(column) ? values.get(column).decimalValue() : null;
                        boolean better = current == null
                                || (m.kind() == AggregateConfig.Kind.MIN
                                        ? candidate.compareTo(current) < 0
                                        : candidate.compareTo(current) > 0);
                        if (better) {
                            values.put(column, candidate);
                        }
                    }
                }
                case DISTINCT -> {
                    if (v != null && !v.isNull()) {
                        HllSketch sketch = values.has(column)
                                ? HllSketch.heapify(Base64.getDecoder()
                                        .decode(values.get(column).asText()))
                                : new HllSketch(LG_K, TgtHllType.HLL_8);
                        sketch.update(v.isTextual() ? v.textValue() : v.toString());
                        values.put(column, Base64.getEncoder().encodeToString(sketch.toCompactByteArray()));
                    }
                }
            }
        }
    }

    /** The output columns: each measure's value (distinct as its rounded estimate). */
    void writeTo(ObjectNode out) {
        for (AggregateConfig.Measure m : measures) {
            String column = m.column();
            switch (m.kind()) {
                case COUNT -> out.put(column, values.path(column).asLong(0));
                case DISTINCT ->
                    out.put(
                            column,
                            values.has(column)
                                    ? Math.round(HllSketch.heapify(Base64.getDecoder()
                                                    .decode(values.get(column).asText()))
                                            .getEstimate())
                                    : 0L);
                default -> {
                    if (values.has(column)) {
                        out.put(column, values.get(column).decimalValue());
                    } else {
                        out.putNull(column);
                    }
                }
            }
        }
    }

    /**
     * A measure's input as an exact number, or null when it is none: text that does not parse, a double that is NaN or
     * infinite, or a number outside {@link NumberBounds} (its sum would grow without bound; the gate refuses such values
     * in known numeric fields, but a text column may still hold one).
     */
    private static BigDecimal number(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isDouble() || v.isFloat()) {
            return Double.isFinite(v.doubleValue()) ? v.decimalValue() : null;
        }
        if (v.isNumber()) {
            return NumberBounds.within(v.decimalValue()) ? v.decimalValue() : null;
        }
        if (!v.isTextual() || v.textValue().length() > NumberBounds.MAX_TEXT_LENGTH) {
            return null;
        }
        try {
            BigDecimal parsed = new BigDecimal(v.textValue().strip());
            return NumberBounds.within(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
