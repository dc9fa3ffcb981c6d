package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingActionsTest {
    private static final Clock NOV_2026 = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void maskKeepsFirstAndLastCharactersAndLength() {
        assertThat(new PartialMask(0, 4, false).apply("010-1234-5678")).isEqualTo("*********5678");
        assertThat(new PartialMask(1, 1, false).apply("김민준")).isEqualTo("김*준");
        assertThat(new PartialMask(3, 3, false).apply("short"))
                .as("never reveals all")
                .isEqualTo("*****");
        assertThat(new PartialMask(0, 4, false).apply(1012345678L)).isEqualTo("******5678");
    }

    @Test
    void emailStyleMasksTheLocalPartAndKeepsTheDomain() {
        assertThat(new PartialMask(0, 0, true).apply("kim.minjun@example.com")).isEqualTo("**********@example.com");
        assertThat(new PartialMask(1, 0, true).apply("kim.minjun@example.com")).isEqualTo("k*********@example.com");
        assertThat(new PartialMask(0, 0, true).apply("not an email")).isEqualTo("************");
    }

    @Test
    void truncateKeepsTheFirstCharacters() {
        assertThat(new Truncation(3).apply("서울특별시 강남구")).isEqualTo("서울특");
        assertThat(new Truncation(30).apply("short")).isEqualTo("short");
    }

    @ParameterizedTest
    @CsvSource({
        "7305, 1990", // io.debezium.time.Date: days since the epoch
        "1990-05-17, 1990",
        "1990-05-17T23:10:00Z, 1990",
        "642902400000, 1990", // epoch millis
        "642902400000000, 1990"
    }) // epoch micros
    void generalizesDatesOfEveryShapeToTheYear(String value, long year) throws MaskingFailure {
        Object input = value.matches("\\d+") ? (Object) Long.parseLong(value) : value;
        assertThat(Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO)
                        .apply(input))
                .isEqualTo(year);
    }

    @Test
    void generalizesToYearMonthAndAgeBands() throws MaskingFailure {
        assertThat(Generalization.date(Generalization.Target.YEAR_MONTH, Generalization.DateUnit.AUTO)
                        .apply("1990-05-17"))
                .isEqualTo("1990-05");
        Generalization bands = Generalization.ageBand(10, Generalization.DateUnit.AUTO, NOV_2026);
        assertThat(bands.apply("1990-05-17")).isEqualTo("30-39");
        assertThat(bands.apply("2000-11-22")).isEqualTo("20-29");
        assertThat(bands.apply("2000-11-23")).isEqualTo("20-29");
        assertThat(bands.outputType()).isEqualTo(ColumnTransform.OutputType.STRING);
    }

    @Test
    void generalizesAddressesToTheirNetwork() throws MaskingFailure {
        Generalization network = Generalization.network(24, 48);

        assertThat(network.apply("211.234.10.20")).isEqualTo("211.234.10.0/24");
        assertThat(network.apply("2001:db8:85a3:8d3:1319:8a2e:370:7348")).isEqualTo("2001:db8:85a3::/48");
        assertThatThrownBy(() -> network.apply("example.com")).isInstanceOf(MaskingFailure.class);
        assertThatThrownBy(() -> network.apply("300.1.1.1")).isInstanceOf(MaskingFailure.class);
    }

    @Test
    void generalizesNumbersToTheirBucket() throws MaskingFailure {
        Generalization bucket = Generalization.bucket(10);

        assertThat(bucket.apply(37L)).isEqualTo(30L);
        assertThat(bucket.apply(new BigDecimal("9.99"))).isEqualTo(0L);
        assertThat(bucket.apply(-1L)).isEqualTo(-10L);
        assertThat(bucket.apply("42")).isEqualTo(40L);
        assertThat(bucket.outputType()).isEqualTo(ColumnTransform.OutputType.LONG);
    }

    @Test
    void failsWithoutQuotingTheValue() {
        assertThatThrownBy(() -> Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO)
                        .apply("kim@example.com"))
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("not-a-date"))
                .message()
                .doesNotContain("kim");
    }
}
