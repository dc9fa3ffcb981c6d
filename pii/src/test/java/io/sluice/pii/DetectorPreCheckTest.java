package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape pre-checks decide whether a detector's regular expression runs at all: one that says "cannot match"
 * where the expression would have found something lets personal data through. So they are checked against the
 * expressions themselves, on texts built to sit at the edges of every pattern.
 */
class DetectorPreCheckTest {
    private static final String[] PIECES = {
        " ", "-", "--", ".", ":", "::", "+", "@", "a", "Z", "_", "x.kr", "/", "(", "\t", "82", "010", "0", "2", "4",
        "5", "6", "1", "9", "ab@c.de",
    };

    @Test
    void aPreCheckNeverSaysNoWhereTheExpressionFindsSomething() {
        Random random = new Random(19);
        int found = 0;
        for (int i = 0; i < 300_000; i++) {
            String text = hostileText(random);
            Detector.TextShape shape = Detector.TextShape.of(text);
            for (Detector detector : Detector.values()) {
                boolean finds = detector == Detector.IP
                        ? !detector.find(text, FieldName.NONE).isEmpty()
                        : detector.patternFinds(text);
                if (finds) {
                    found++;
                    assertThat(detector.mayMatchText(shape))
                            .as("%s's pre-check on \"%s\"", detector, text)
                            .isTrue();
                }
            }
        }
        assertThat(found).as("texts where some pattern found something").isGreaterThan(30_000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-12-07 19:50:26.123",
                "2026-12-07T19:50:26.123+0900",
                "1690000123456789-1003100",
                "5.2.3",
                "af_purchase",
                "19:50:26.123456"
            })
    void timestampsIdsAndVersionsRunNoExpression(String text) {
        Detector.TextShape shape = Detector.TextShape.of(text);
        for (Detector detector : Detector.values()) {
            if (detector == Detector.PHONE && text.contains("+")) {
                continue; // a '+' may start an international number, so the expression runs
            }
            assertThat(detector.mayMatchText(shape))
                    .as("%s on %s", detector, text)
                    .isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "010-1234-5678",
                "02 123 4567",
                "900101-1234568",
                "9001011234568",
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
                "2001:db8::1",
                "fe80:0:0:0:202:b3ff:fe1e:8329"
            })
    void numbersInTheirUsualFormsReachTheExpression(String text) {
        Detector.TextShape shape = Detector.TextShape.of(text);
        assertThat(Detector.values()).anyMatch(detector -> detector.mayMatchText(shape) && detector.patternFinds(text));
    }

    /** Digit runs of every length that matters, joined by separators and characters the patterns care about. */
    private static String hostileText(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(6);
        for (int p = 0; p < parts; p++) {
            if (random.nextBoolean()) {
                int digits = 1 + random.nextInt(random.nextBoolean() ? 8 : 20);
                text.append((char) ('0' + random.nextInt(10)));
                for (int d = 1; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(random.nextInt(4) == 0 ? 2 : 10)));
                }
            } else if (random.nextInt(3) == 0) {
                for (int h = random.nextInt(5); h >= 0; h--) {
                    text.append("0123456789abcdefABCDEF".charAt(random.nextInt(22)));
                }
            } else {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return text.toString();
    }
}
