package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LatencyStampTest {
    @Test
    void roundTripsEpochMillisecondsThroughLetters() {
        long sent = 1_795_000_123_456L;

        String stamp = LatencyStamp.encode(sent);

        assertThat(stamp).hasSize(LatencyStamp.PLACEHOLDER.length()).matches("[a-j]+");
        assertThat(LatencyStamp.decode(stamp)).isEqualTo(sent);
    }

    @Test
    void stampsTheRecordInPlace() {
        byte[] value = ("{\"event_name\":\"af_app_opened\",\"af_sub5\":\"" + LatencyStamp.PLACEHOLDER + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(LatencyStamp.stamp(value, 1_795_000_000_001L)).isTrue();

        assertThat(new String(value, StandardCharsets.UTF_8))
                .contains("\"af_sub5\":\"" + LatencyStamp.encode(1_795_000_000_001L) + "\"");
    }

    @Test
    void leavesRecordsWithoutThePlaceholderAlone() {
        assertThat(LatencyStamp.stamp("{\"op\":\"u\"}".getBytes(StandardCharsets.UTF_8), 1L))
                .isFalse();
        assertThat(LatencyStamp.stamp(null, 1L)).isFalse();
    }

    @Test
    void doesNotTakeOtherTextForAStamp() {
        assertThat(LatencyStamp.decode("winter_launch")).isEqualTo(-1);
        assertThat(LatencyStamp.decode(null)).isEqualTo(-1);
        assertThat(LatencyStamp.decode(42L)).isEqualTo(-1);
    }
}
