package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flat reading and writing of JSON text must mean exactly what data binding into a map means, or defer to it. */
class FlatJsonObjectTest {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final FlatJsonObject FLAT = new FlatJsonObject(MaskingPolicy.JSON.getFactory());
    private static final String[] VALUES = {
        "\"plain\"",
        "\"\"",
        "\"한국어\"",
        "\"tab\\there\"",
        "\"quote\\\"d\"",
        "\"\\u0041\\u00e9\\ud83d\\ude00\"",
        "\"\\/slash\"",
        "\"ctl\\u0001\"",
        "0",
        "-0",
        "7",
        "-2147483648",
        "2147483648",
        "9223372036854775807",
        "9223372036854775808",
        "123456789012345678901234567890",
        "1.0",
        "12.50",
        "-0.0",
        "1e5",
        "1E-7",
        "2.5e+300",
        "0.000000000000000000000001",
        "true",
        "false",
        "null"
    };

    @Test
    void readsAndWritesEveryFlatObjectAsDataBindingDoes() throws Exception {
        Random random = new Random(11);
        int flat = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = object(random);
            List<Map.Entry<String, Object>> fields = FLAT.read(text);
            if (fields == null) {
                continue;
            }
            flat++;
            Map<String, Object> bound = MaskingPolicy.JSON.readValue(text, MAP);
            Map<String, Object> read = new LinkedHashMap<>();
            fields.forEach(f -> read.put(f.getKey(), f.getValue()));
            assertThat(read).as(text).containsExactlyEntriesOf(bound);
            read.forEach((name, value) -> assertThat(value == null ? null : value.getClass())
                    .as("%s in %s", name, text)
                    .isEqualTo(bound.get(name) == null ? null : bound.get(name).getClass()));
            assertThat(FLAT.write(fields)).as(text).isEqualTo(MaskingPolicy.JSON.writeValueAsString(bound));
        }
        assertThat(flat).isGreaterThan(15_000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1,\"a\":2}",
                "{\"a\":{\"b\":1}}",
                "{\"a\":[1]}",
                "{\"a\":1} {\"b\":2}",
                "{\"a\":1} trailing",
                "[1,2]",
                "null",
                "\"text\"",
                "{\"a\":",
                "{\"a\":NaN}",
                "{\"a\":01}",
                "",
                "   "
            })
    void leavesAnythingElseToDataBinding(String text) {
        assertThat(FLAT.read(text)).isNull();
    }

    @Test
    void writesNothingItDoesNotKnowHowDataBindingWouldWrite() {
        assertThat(FLAT.write(List.of(Map.entry("when", java.time.LocalDate.of(2026, 12, 7)))))
                .isNull();
        assertThat(FLAT.write(List.of(Map.entry("ratio", 0.25)))).isNull();
    }

    /** A JSON object of random names and scalar values, with spacing, repeated names now and then. */
    private static String object(Random random) {
        StringBuilder text = new StringBuilder(random.nextBoolean() ? " {" : "{");
        int fields = random.nextInt(7);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                text.append(random.nextInt(4) == 0 ? " , " : ",");
            }
            String name =
                    random.nextInt(40) == 0 ? "k0" : "k" + random.nextInt(1_000) + (random.nextBoolean() ? "é" : "");
            text.append('"').append(name).append("\":").append(random.nextBoolean() ? " " : "");
            text.append(VALUES[random.nextInt(VALUES.length)]);
        }
        return text.append(random.nextInt(5) == 0 ? "}\n" : "}").toString();
    }
}
