package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardRangesTest {

    @ParameterizedTest
    @CsvSource({
        "4000000000006, Visa 13",
        "4111111111111111, Visa 16",
        "4000000000000000006, Visa 19",
        "5100000000000008, Mastercard 51",
        "5500000000000004, Mastercard 55",
        "2221000000000009, Mastercard 2-series first",
        "2720000000000005, Mastercard 2-series last",
        "340000000000009, Amex 34",
        "370000000000002, Amex 37",
        "6011000000000004, Discover 6011",
        "6011000000000000001, Discover 6011 at 19",
        "6440000000000005, Discover 644",
        "6490000000000004, Discover 649",
        "6500000000000002, Discover 65",
        "6221260000000000, Discover 622126 (UnionPay co-branded)",
        "3528000000000007, JCB first",
        "3589000000000000009, JCB last at 19",
        "30000000000004, Diners 300",
        "30500000000003, Diners 305",
        "36000000000008, Diners 36",
        "3800000000000006, Diners 38",
        "39000000000005, Diners 39",
        "6200000000000005, UnionPay 16",
        "6200000000000000000, UnionPay 19",
        "500000000009, Maestro 50 at 12",
        "560000000003, Maestro 56 at 12",
        "6900000000000000005, Maestro 69 at 19"
    })
    void acceptsEveryNetworksRangeAtItsLengths(String digits, String network) {
        assertThat(CardRanges.isCardNumber(digits, false)).as(network).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "2220000000000000, below the Mastercard 2-series",
        "2721000000000004, above the Mastercard 2-series",
        "3527000000000008, below JCB",
        "3590000000000000, above JCB",
        "30600000000001, above Diners 300-305",
        "3500000000000009, 35 outside JCB",
        "40000000000002, Visa does not issue 14 digits",
        "5100000000003, Mastercard issues 16 digits only",
        "60110000000004, Discover 6011 issues 16-19, not Maestro's 12-19",
        "644000000000002, Discover 644 issues 16-19",
        "6500000000003, Discover 65 issues 16-19",
        "620000000000000, UnionPay issues 16-19",
        "1234567890123452, no network starts with 1",
        "4111111111111112, fails Luhn"
    })
    void rejectsNumbersNoNetworkIssues(String digits, String why) {
        assertThat(CardRanges.isCardNumber(digits, false)).as(why).isFalse();
    }

    @Test
    void acceptsUnionPayWithoutLuhnOnlyWhenPrintedInFours() {
        assertThat(CardRanges.luhnValid("6200000000000001")).isFalse();

        assertThat(CardRanges.isCardNumber("6200000000000001", true)).isTrue();
        assertThat(CardRanges.isCardNumber("6200000000000001", false)).isFalse();
        assertThat(CardRanges.isCardNumber("4111111111111112", true))
                .as("other networks always need Luhn")
                .isFalse();
    }

    @Test
    void recognisesTheGroupingOfAPrintedCard() {
        assertThat(CardRanges.groupedInFours("6200 0000 0000 0001")).isTrue();
        assertThat(CardRanges.groupedInFours("6200-0000-0000-0001-123")).isTrue();
        assertThat(CardRanges.groupedInFours("62000000 00000001")).isFalse();
        assertThat(CardRanges.groupedInFours("6200000000000001")).isFalse();
    }
}
