package io.sluice.e2e;

import io.sluice.replay.InputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of a chaos case: MMP events over a few closed event hours, in event-time order, the
 * last ones late for the first hour, every {@code duplicateEvery}-th one sent twice (the retry on
 * the other partition, as a push API retries), and from {@code newColumnFrom} on a column the
 * earlier ones lack, so the curated schema gets a second version mid-stream.
 *
 * @param events        distinct events
 * @param hours         closed event hours they span (late events aside)
 * @param late          how many of the last events belong to the first hour
 * @param duplicateEvery one event in this many is sent twice
 * @param newColumnFrom the first event that carries {@code app_version}
 * @param firstHour     the first event hour, epoch milliseconds
 */
record ChaosInput(int events, int hours, int late, int duplicateEvery, int newColumnFrom, long firstHour) {
    static final String TOPIC = "mmp.appsflyer.events";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** {@code events} events over the three hours before the current one: closed, so every pass compacts them. */
    static ChaosInput of(int events) {
        long thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        return new ChaosInput(
                events,
                3,
                events / 20,
                20,
                events / 2,
                thisHour - Duration.ofHours(3).toMillis());
    }

    /** Every record to produce, duplicates included, in order. */
    List<InputRecord> records() {
        return records(0, events);
    }

    /** The records of events {@code from} (inclusive) to {@code to} (exclusive), duplicates included. */
    List<InputRecord> records(int from, int to) {
        List<InputRecord> records = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            byte[] value = event(seq).getBytes(StandardCharsets.UTF_8);
            records.add(new InputRecord(TOPIC, seq % 2, null, value, null));
            if (seq % duplicateEvery == 0) {
                records.add(new InputRecord(TOPIC, (seq + 1) % 2, null, value, null));
            }
        }
        return records;
    }

    /** The records of one of {@code slices} consecutive, near-equal slices of {@link #records()}. */
    List<InputRecord> slice(int index, int slices) {
        List<InputRecord> all = records();
        return all.subList(all.size() * index / slices, all.size() * (index + 1) / slices);
    }

    private long eventTime(int seq) {
        long span = Duration.ofHours(hours).toMillis();
        int onTime = events - late;
        return seq < onTime ? firstHour + seq * (span / onTime) : firstHour + (seq % 600) * 1000L;
    }

    private String event(int seq) {
        String version = seq >= newColumnFrom ? ",\"app_version\":\"2." + seq % 7 + "\"" : "";
        return "{\"appsflyer_id\":\"af-" + seq + "\",\"event_name\":\"af_app_opened\",\"event_time\":\""
                + TIME.format(Instant.ofEpochMilli(eventTime(seq))) + "\",\"platform\":\"android\",\"custom_data\":\""
                + seq + "\""
                + version + "}";
    }
}
