package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimeParserTest {
    @Test
    void plainAppsFlyerTimesReadAsTheFormatterReadsThem() throws Exception {
        Random random = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(-62_000_000_000_000L, 253_402_300_799_000L);
            LocalDateTime time = LocalDateTime.ofEpochSecond(
                    Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC);
            String text = time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    + (random.nextBoolean()
                            ? ""
                            : "." + String.format("%09d", time.getNano()).substring(0, 1 + random.nextInt(9)));
            if (random.nextBoolean()) {
                text = text.replace(' ', 'T');
            }
            assertThat(EventTimeParser.parseMillis(text)).as(text).isEqualTo(formatter(text));
        }
    }

    @Test
    void edgeShapesAreDecidedAsBefore() throws Exception {
        for (String text : List.of(
                "2026-02-29 00:00:00", // not a leap year: the formatter's smart resolver clamps it
                "2024-02-30 12:00:00",
                "2026-11-31 23:59:59.999",
                "2026-11-22 24:00:00",
                "2026-11-22 03:00:00.123456789",
                "2026-11-22 03:00:00.5",
                "  2026-11-22 03:00:00  ")) {
            assertThat(EventTimeParser.parseMillis(text)).as(text).isEqualTo(formatter(text.strip()));
        }
        assertThat(EventTimeParser.parseMillis("2026-11-22T03:00:00+09:00"))
                .isEqualTo(LocalDateTime.of(2026, 11, 21, 18, 0)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli());
        assertThat(EventTimeParser.parseMillis("1763780400000")).isEqualTo(1_763_780_400_000L);
    }

    @Test
    void malformedTimesAreRefusedWithoutQuotingThem() {
        for (String text : List.of(
                "2026-11-22 03:00:0x",
                "2026-13-22 03:00:00",
                "2026-11-22 03:61:00",
                "２０２６-11-22 03:00:00",
                "0000-01-01 00:00:00",
                "2026-11-22 03:00:00.",
                "2026-11-22 03:00:00.1234567890",
                "2026/11/22 03:00:00")) {
            assertThatThrownBy(() -> EventTimeParser.parseMillis(text))
                    .as(text)
                    .isInstanceOf(DecodeException.class)
                    .hasMessageNotContaining(text);
        }
    }

    private static long formatter(String text) {
        return LocalDateTime.parse(text, EventTimeParser.LOCAL_UTC)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }
}
