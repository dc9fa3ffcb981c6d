package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DetectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "EMAIL|contact kim.minjun+shop@example.co.kr today|kim.minjun+shop@example.co.kr",
        "PHONE|call 010-1234-5678 now|010-1234-5678",
        "PHONE|call 01012345678 now|01012345678",
        "PHONE|office 02-123-4567|02-123-4567",
        "PHONE|office 031-1234-5678|031-1234-5678",
        "PHONE|intl +82 10-1234-5678|+82 10-1234-5678",
        "PHONE|E.164 +14155552671|+14155552671",
        "KR_RRN|rrn 900101-1234568 end|900101-1234568",
        "CARD|card 4111 1111 1111 1111 ok|4111 1111 1111 1111",
        "CARD|card 5500-0000-0000-0004|5500-0000-0000-0004",
        "IP|from 211.234.10.20 via|211.234.10.20",
        "IP|v6 2001:db8::8a2e:370:7334 x|2001:db8::8a2e:370:7334",
        "IP|v6 fe80:0:0:0:202:b3ff:fe1e:8329|fe80:0:0:0:202:b3ff:fe1e:8329"})
    void findsWhatItIsFor(Detector detector, String text, String expected) {
        List<int[]> spans = detector.find(text);

        assertThat(spans).singleElement().satisfies(s -> assertThat(text.substring(s[0], s[1])).isEqualTo(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "KR_RRN|rrn 900101-1234567 has a wrong check digit",
        "KR_RRN|901301-1234568 has month 13",
        "CARD|4111 1111 1111 1112 fails Luhn",
        "CARD|order 1234567890123 fails Luhn",
        "IP|at 10:59:59 is a clock time",
        "IP|version 5.2.1 is not an address",
        "IP|999.1.1.1 is out of range",
        "EMAIL|user at example dot com",
        "PHONE|order number 12345678"})
    void ignoresLookAlikes(Detector detector, String text) {
        assertThat(detector.find(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8001011234561", "0101013234561"})
    void rrnCheckDigitFollowsTheStandardWeights(String digits) {
        int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * w[i];
        }
        String valid = digits.substring(0, 12) + (11 - sum % 11) % 10;

        assertThat(Detector.rrnCheckDigitValid(valid)).isTrue();
        assertThat(Detector.rrnCheckDigitValid(valid.substring(0, 12) + ((valid.charAt(12) - '0' + 1) % 10))).isFalse();
    }
}
