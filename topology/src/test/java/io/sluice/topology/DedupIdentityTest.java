package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupIdentityTest {
    @Test
    void identitiesAreTheTextDataBindingWroteSoStoredOnesStillMatch() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 1);
        List<List<Object>> cases = List.of(
                List.of("1690000123456789-1003100", "af_purchase", "2026-12-07 19:50:26.123"),
                Arrays.asList(null, "", "한국어 \uD83D\uDE00", "quote\" back\\slash / tab\t nl\n ctl\u0001 del\u007f"),
                List.of(
                        7L,
                        -0L,
                        Long.MIN_VALUE,
                        new BigDecimal("12.50"),
                        new BigDecimal("1E+3"),
                        new BigDecimal("-0.000")),
                List.of(true, false, 3, 2.5, Double.NaN, new BigInteger("123456789012345678901234567890")),
                List.of(nested, List.of("x", 1)));

        for (List<Object> values : cases) {
            assertThat(DedupIdentity.json(values)).isEqualTo(new ObjectMapper().writeValueAsString(values));
        }
    }
}
