package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DetectorTest {
    // 050315-4: a woman born 2005-03-15; 123451 fails the check digit (0 would pass), as numbers issued since 2020 may.
    private static final String RRN_WITHOUT_CHECK_DIGIT = "0503154123451";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "EMAIL|contact kim.minjun+shop@example.co.kr today|kim.minjun+shop@example.co.kr",
                "PHONE|call 010-1234-5678 now|010-1234-5678",
                "PHONE|call 01012345678 now|01012345678",
                "PHONE|office 02-123-4567|02-123-4567",
                "PHONE|office 031-1234-5678|031-1234-5678",
                "PHONE|intl +82 10-1234-5678|+82 10-1234-5678",
                "PHONE|E.164 +14155552671|+14155552671",
                "KR_RRN|rrn 900101-1234568 end|900101-1234568",
                "KR_RRN|ref 9001011234568 has a valid check digit|9001011234568",
                "CARD|card 4111 1111 1111 1111 ok|4111 1111 1111 1111",
                "CARD|card 5500-0000-0000-0004|5500-0000-0000-0004",
                "IP|from 211.234.10.20 via|211.234.10.20",
                "IP|v6 2001:db8::8a2e:370:7334 x|2001:db8::8a2e:370:7334",
                "IP|v6 fe80:0:0:0:202:b3ff:fe1e:8329|fe80:0:0:0:202:b3ff:fe1e:8329"
            })
    void findsWhatItIsFor(Detector detector, String text, String expected) {
        assertThat(found(detector, text)).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "KR_RRN|ref 9001011234567 has a wrong check digit and no hyphen or context",
                "KR_RRN|901301-1234568 has month 13",
                "CARD|4111 1111 1111 1112 fails Luhn",
                "CARD|order 1234567890123 fails Luhn",
                "IP|at 10:59:59 is a clock time",
                "IP|version 5.2.1 is not an address",
                "IP|999.1.1.1 is out of range",
                "EMAIL|user at example dot com",
                "PHONE|order number 12345678"
            })
    void ignoresLookAlikes(Detector detector, String text) {
        assertThat(detector.find(text)).isEmpty();
    }

    @Test
    void findsRrnWithoutCheckDigitInTheHyphenatedForm() {
        assertThat(ResidentNumbers.checkDigitValid(RRN_WITHOUT_CHECK_DIGIT)).isFalse();

        assertThat(found(Detector.KR_RRN, "ref 050315-4123451")).containsExactly("050315-4123451");
        assertThat(found(Detector.KR_RRN, "ref 050315 4123451"))
                .as("a space is not the hyphenated form")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"주민번호 ", "주민등록번호: ", "외국인등록번호 ", "Resident No. ", "RRN ", "jumin ", "주민등록번호는 본인 확인용 "})
    void findsRrnWithoutCheckDigitAfterAContextWord(String context) {
        assertThat(found(Detector.KR_RRN, context + RRN_WITHOUT_CHECK_DIGIT)).containsExactly(RRN_WITHOUT_CHECK_DIGIT);
    }

    @Test
    void contextWordCountsOnlyShortlyBeforeTheNumber() {
        String far = "주민번호 " + "x".repeat(ResidentNumbers.CONTEXT_WINDOW) + " " + RRN_WITHOUT_CHECK_DIGIT;
        String after = RRN_WITHOUT_CHECK_DIGIT + " 주민번호";

        assertThat(Detector.KR_RRN.find(far)).isEmpty();
        assertThat(Detector.KR_RRN.find(after)).isEmpty();
    }

    @Test
    void findsBareRrnWithoutCheckDigitWhenTheFieldNameSaysSo() {
        assertThat(Detector.KR_RRN.find(RRN_WITHOUT_CHECK_DIGIT, FieldName.of(List.of("customer", "jumin_no"))))
                .hasSize(1);
        assertThat(Detector.KR_RRN.find(RRN_WITHOUT_CHECK_DIGIT, FieldName.of(List.of("customer", "order_no"))))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "500101-1234561, born 1950 or 2050: both real dates",
        "000229-3123454, 2000-02-29: a leap day",
        "850101-5123451, a foreign resident born 1985",
        "210615-7123451, a foreign resident born 2021",
        "991231-2123451, 1999-12-31"
    })
    void acceptsRealBirthDatesForEveryResidentAndForeignerDigit(String rrn, String why) {
        assertThat(found(Detector.KR_RRN, rrn)).as(why).containsExactly(rrn);
    }

    @ParameterizedTest
    @CsvSource({
        "000229-1123459, 1900-02-29 does not exist (valid check digit)",
        "200230-3123451, February 30",
        "210431-3123451, April 31",
        "900101-9234567, 9: born in the 1800s",
        "900101-0234567, 0: born in the 1800s",
        "901232-1234567, day 32"
    })
    void rejectsImpossibleBirthDates(String rrn, String why) {
        assertThat(Detector.KR_RRN.find(rrn)).as(why).isEmpty();
    }

    @Test
    void rrnCheckDigitFollowsTheStandardWeights() {
        for (String digits : List.of("8001011234561", "0101013234561")) {
            int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
            int sum = 0;
            for (int i = 0; i < 12; i++) {
                sum += (digits.charAt(i) - '0') * w[i];
            }
            String valid = digits.substring(0, 12) + (11 - sum % 11) % 10;

            assertThat(ResidentNumbers.checkDigitValid(valid)).isTrue();
            assertThat(ResidentNumbers.checkDigitValid(valid.substring(0, 12) + ((valid.charAt(12) - '0' + 1) % 10)))
                    .isFalse();
        }
    }

    @Test
    void findsRrnTypedInFullWidthDigitsAndHyphen() {
        String text = "주민번호 ０５０３１５－４１２３４５１ 확인";

        assertThat(found(Detector.KR_RRN, text)).containsExactly("０５０３１５－４１２３４５１");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFE58", "\uFE63", "\uFF0D"
            })
    void readsEveryKindOfHyphenAsTheHyphen(String hyphen) {
        assertThat(Detector.KR_RRN.find("050315" + hyphen + "4123451")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"})
    void seesThroughZeroWidthCharacters(String invisible) {
        String email = "kim" + invisible + "@example.com";
        String phone = "010-1234" + invisible + "-5678";

        assertThat(found(Detector.EMAIL, "mail " + email + " now")).containsExactly(email);
        assertThat(found(Detector.PHONE, "call " + phone + " now")).containsExactly(phone);
    }

    @Test
    void readsNoBreakAndIdeographicSpacesAsSpaces() {
        assertThat(Detector.PHONE.find("010\u00A01234\u00A05678")).hasSize(1);
        assertThat(Detector.CARD.find("4111\u30001111\u30001111\u30001111")).hasSize(1);
    }

    @Test
    void findsEmailWithFullWidthAtAndDot() {
        assertThat(found(Detector.EMAIL, "메일 ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ 로")).containsExactly("ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ");
    }

    @Test
    void readsDigitsOfOtherScripts() {
        assertThat(Detector.PHONE.find("٠١٠-١٢٣٤-٥٦٧٨"))
                .as("Arabic-Indic digits")
                .hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CARD|2221 0000 0000 0009|Mastercard 2-series, first",
                "CARD|2720-0000-0000-0005|Mastercard 2-series, last",
                "CARD|6200 0000 0000 0001|UnionPay printed in fours, no Luhn digit",
                "CARD|5600 0000 0003|Maestro at 12 digits"
            })
    void findsCardsOfTheNewRangesInText(Detector detector, String card, String why) {
        assertThat(found(detector, "paid with " + card + " today")).as(why).containsExactly(card);
    }

    @Test
    void findsTheCardInsideALongerRunOfNumbers() {
        assertThat(found(Detector.CARD, "card 4111 1111 1111 1111 10 items")).containsExactly("4111 1111 1111 1111");
        assertThat(found(Detector.CARD, "qty 3 4111-1111-1111-1111")).containsExactly("4111-1111-1111-1111");
    }

    @Test
    void readsWholeNumbersThatLostTheirLeadingZeroOrPlus() {
        assertThat(Detector.PHONE.matchesNumber("821012345678", FieldName.NONE))
                .as("E.164 without the plus")
                .isTrue();
        assertThat(Detector.PHONE.matchesNumber("1012345678", FieldName.of(List.of("phone"))))
                .as("010 without the zero")
                .isTrue();
        assertThat(Detector.PHONE.matchesNumber("1012345678", FieldName.of(List.of("user_id"))))
                .as("an id")
                .isFalse();
        assertThat(Detector.KR_RRN.matchesNumber("503154123451", FieldName.of(List.of("rrn"))))
                .as("born 2005, zero lost")
                .isTrue();
        assertThat(Detector.KR_RRN.matchesNumber("3014599710", FieldName.of(List.of("jumin"))))
                .as("born 2000-03-01, three zeros lost")
                .isTrue();
        assertThat(Detector.KR_RRN.matchesNumber("1601073739574", FieldName.NONE))
                .as("epoch millis of 2020 that read as an RRN with a valid check digit: numbers need the name")
                .isFalse();
        assertThat(Detector.CARD.matchesNumber("4111111111111111", FieldName.NONE))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CARD|EF921D31-5046-4094-8107-58A40DA8AB8C|a UUID holding a Luhn-valid run of digits",
                "CARD|A1776F85-6770-46B5-8457-2040619BECF5|a UUID holding a Luhn-valid run of digits",
                "CARD|token x4111111111111111y|a hex-like token",
                "KR_RRN|1610054947877-0503098|an AppsFlyer id: epoch millis that pass the RRN check digit, a hyphen, digits",
                "KR_RRN|ORD-7-1601073739574|epoch millis after an identifier's digit and hyphen",
                "KR_RRN|id9001011234568|digits inside an identifier"
            })
    void ignoresDigitRunsInsideLongerIdentifiers(Detector detector, String text, String why) {
        assertThat(detector.find(text)).as(why).isEmpty();
    }

    private static List<String> found(Detector detector, String text) {
        return detector.find(text).stream().map(s -> text.substring(s[0], s[1])).toList();
    }
}
