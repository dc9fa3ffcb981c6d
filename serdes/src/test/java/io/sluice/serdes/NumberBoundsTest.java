package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberBoundsTest {

    @Test
    void acceptsEveryPostgresNumericAndMysqlDecimal() {
        assertThat(NumberBounds.within(new BigDecimal("9".repeat(131_072) + "." + "9".repeat(16_383))))
                .isTrue();
        assertThat(NumberBounds.within(new BigDecimal("-" + "9".repeat(131_072))))
                .isTrue();
        assertThat(NumberBounds.within(new BigDecimal("0." + "0".repeat(16_382) + "1")))
                .isTrue();
        assertThat(NumberBounds.within(new BigDecimal("9".repeat(35) + "." + "9".repeat(30))))
                .as("MySQL DECIMAL(65,30)")
                .isTrue();
        assertThat(NumberBounds.within(new BigDecimal("1E+131071"))).isTrue();
        assertThat(NumberBounds.within(new BigDecimal("4.9E-324"))).isTrue();
        assertThat(NumberBounds.within(new BigDecimal("1.7976931348623157E+308")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-2000000000", "1e999999999", "1E+131072", "1E-16384", "0E-16384", "0E+131072"})
    void refusesNumbersBeyondAnyDatabasesRange(String text) {
        assertThat(NumberBounds.within(new BigDecimal(text))).isFalse();
    }

    @Test
    void refusesAnUnscaledValueTooLongBeforeCountingItsDigits() {
        BigDecimal huge = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(50_000_000), 16_000);

        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        Duration.ofSeconds(1), () -> NumberBounds.within(huge)))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-2000000000", "1e999999999", "1e-3000000000", "-1E+99999999999"})
    void parsingAnAbsurdExponentIsOutOfRangeNamingTheFieldButNotTheValue(String text) {
        assertThatThrownBy(() -> NumberBounds.parse(text, "field 'event_revenue_usd'"))
                .isInstanceOf(DecodeException.class)
                .hasMessageStartingWith("field 'event_revenue_usd' holds a number beyond 131072 digits")
                .hasMessageNotContaining(text.substring(1))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void parsingANumberLongerThanAnyDatabasesIsOutOfRangeWithoutParsingIt() {
        String text = "1".repeat(5_000_000);

        assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        Duration.ofSeconds(1), () -> NumberBounds.parse(text, "field 'n'")))
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("number-out-of-range"));
    }

    @Test
    void parsingTextThatIsNotANumberYieldsNull() throws Exception {
        assertThat(NumberBounds.parse("ten won", "field 'n'")).isNull();
        assertThat(NumberBounds.parse("1".repeat(200_000) + "x", "field 'n'")).isNull();
        assertThat(NumberBounds.parse("12.50", "field 'n'")).isEqualTo(new BigDecimal("12.50"));
    }
}
