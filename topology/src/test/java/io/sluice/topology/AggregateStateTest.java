package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.AggregateConfig.Kind;
import io.sluice.config.AggregateConfig.Measure;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregateStateTest {
    private static final List<Measure> MEASURES = List.of(
            new Measure(Kind.COUNT, null),
            new Measure(Kind.SUM, "revenue"),
            new Measure(Kind.MIN, "revenue"),
            new Measure(Kind.MAX, "revenue"),
            new Measure(Kind.DISTINCT, "user"));

    @Test
    void partialStatesMergedGiveTheResultOfAddingEveryRowToOneState() {
        Random random = new Random(7);
        List<JsonNode> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(row("user-" + random.nextInt(300), random.nextInt(10) == 0 ? null : price(random)));
        }
        AggregateState whole = AggregateState.empty(MEASURES);
        rows.forEach(whole::add);
        AggregateState merged = AggregateState.empty(MEASURES);
        for (int from = 0; from < rows.size(); from += 700) {
            AggregateState partial = AggregateState.empty(MEASURES);
            rows.subList(from, Math.min(rows.size(), from + 700)).forEach(partial::add);
            // Each partial travels as bytes, as it does through the repartition topic.
            merged.merge(AggregateState.read(MEASURES, partial.bytes()));
        }

        assertThat(output(merged)).isEqualTo(output(whole));
        assertThat(merged.rows()).isEqualTo(5_000);
        assertThat(output(whole).get("distinct_user").asLong()).isEqualTo(300);
    }

    @Test
    void aStoredStateKeepsTheScaleOfItsSumsAndExtremes() {
        AggregateState state = AggregateState.empty(MEASURES);
        state.add(row("a", "2.00"));
        state.add(row("b", "1.5"));

        ObjectNode out = output(AggregateState.read(MEASURES, state.bytes()));

        assertThat(out.get("sum_revenue").decimalValue()).isEqualTo(new BigDecimal("3.50"));
        assertThat(out.get("max_revenue").decimalValue()).isEqualTo(new BigDecimal("2.00"));
        assertThat(out.get("count").asLong()).isEqualTo(2);
    }

    @Test
    void aStateWrittenAsJsonByAnEarlierVersionIsStillRead() {
        byte[] legacy = "{\"count\":3,\"sum_revenue\":4.50,\"min_revenue\":0.50,\"max_revenue\":3}"
                .getBytes(StandardCharsets.UTF_8);

        AggregateState state = AggregateState.read(MEASURES, legacy);
        state.add(row("a", "1.00"));

        ObjectNode out = output(state);
        assertThat(out.get("count").asLong()).isEqualTo(4);
        assertThat(out.get("sum_revenue").decimalValue()).isEqualByComparingTo("5.50");
        assertThat(out.get("min_revenue").decimalValue()).isEqualByComparingTo("0.50");
        assertThat(out.get("distinct_user").asLong()).isEqualTo(1);
    }

    @Test
    void measuresAddedOrDroppedSinceTheStateWasStoredAreMatchedByColumn() {
        AggregateState stored = AggregateState.empty(MEASURES);
        stored.add(row("a", "2"));
        List<Measure> changed = List.of(new Measure(Kind.DISTINCT, "user"), new Measure(Kind.SUM, "tax"));

        ObjectNode out = output(AggregateState.read(changed, stored.bytes()));

        assertThat(out.get("distinct_user").asLong()).isEqualTo(1);
        assertThat(out.get("sum_tax").isNull()).isTrue();
    }

    @Test
    void aTruncatedStateIsACorruptStateNotAWrongNumber() {
        AggregateState state = AggregateState.empty(MEASURES);
        state.add(row("a", "2"));
        byte[] bytes = state.bytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> AggregateState.read(MEASURES, truncated))
                .hasMessageContaining("corrupt aggregate state");
    }

    private static ObjectNode output(AggregateState state) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        state.writeTo(out);
        return out;
    }

    private static String price(Random random) {
        return BigDecimal.valueOf(random.nextInt(10_000), 2).toPlainString();
    }

    private static JsonNode row(String user, String revenue) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("user", user);
        if (revenue != null) {
            row.put("revenue", revenue);
        }
        return row;
    }
}
