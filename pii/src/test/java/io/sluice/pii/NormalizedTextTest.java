package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedTextTest {

    @Test
    void leavesAsciiAndHangulAloneWithoutCopying() {
        NormalizedText ascii = NormalizedText.of("call 010-1234-5678");
        NormalizedText hangul = NormalizedText.of("서울특별시 강남구");

        assertThat(ascii.changed()).isFalse();
        assertThat(hangul.changed()).isFalse();
        assertThat(hangul.text()).isSameAs(hangul.original());
    }

    @Test
    void foldsFullWidthFormsDashesSpacesAndDigitsOfOtherScripts() {
        assertThat(NormalizedText.of("０１０－１２３４　５６７８").text()).isEqualTo("010-1234 5678");
        assertThat(NormalizedText.of("ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ").text()).isEqualTo("kim@example.com");
        assertThat(NormalizedText.of("a\u2013b\u2212c\u00A0d").text()).isEqualTo("a-b-c d");
        assertThat(NormalizedText.of("٠١٢").text()).isEqualTo("012");
        assertThat(NormalizedText.of("\uD835\uDFCE\uD835\uDFCF").text())
                .as("mathematical digits, outside the BMP")
                .isEqualTo("01");
    }

    @Test
    void removesInvisibleCharacters() {
        assertThat(NormalizedText.of("0\u200B1\u200C0\u200D-\u2060\uFEFF1\u00AD2")
                        .text())
                .isEqualTo("010-12");
    }

    @Test
    void mapsSpansBackToTheOriginalCharacters() {
        String original = "tel: ０１０\u200B－１２３４－５６７８!";
        NormalizedText folded = NormalizedText.of(original);
        int start = folded.text().indexOf("010");
        int end = start + "010-1234-5678".length();

        assertThat(original.substring(folded.originalStart(start), folded.originalEnd(end)))
                .isEqualTo("０１０\u200B－１２３４－５６７８");
    }

    @Test
    void mapsSpansOverCharactersOutsideTheBasicPlane() {
        String original = "\uD83D\uDE00 \uD835\uDFCF\uD835\uDFCE x";
        NormalizedText folded = NormalizedText.of(original);
        int start = folded.text().indexOf("10");

        assertThat(original.substring(folded.originalStart(start), folded.originalEnd(start + 2)))
                .isEqualTo("\uD835\uDFCF\uD835\uDFCE");
    }
}
