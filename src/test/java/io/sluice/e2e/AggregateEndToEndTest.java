package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConfigLoader;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hourly aggregates on the real broker over an MMP stream with known duplicates and late events,
 * checked against counts the test computes itself from the input: drop repeated events, then count
 * each event in its hour unless it arrives after the hour's end plus grace in event time.
 */
class AggregateEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter APPSFLYER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long GRACE = Duration.ofMinutes(10).toMillis();

    @TempDir
    Path dir;

    @Test
    void hourlyCountsEqualTheCountsComputedFromTheInput() throws Exception {
        long start = (System.currentTimeMillis() / HOUR - 6) * HOUR;
        List<Event> arrivals = stream(start);
        Path key = dir.resolve("key");
        Files.writeString(key, "aggregate-e2e-secret-0123456789-0123456789");
        var config = ConfigLoader.parse("""
                kafka: { bootstrap.servers: "replaced:9092", application.id: agg-e2e }
                sources:
                  - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
                pii:
                  key: { file: "%s" }
                  rules:
                    - { source: mmp, column: "*", action: keep }
                    - { source: mmp, column: appsflyer_id, action: hash }
                dedup:
                  - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h }
                aggregates:
                  - { name: hourly, source: mmp, window: { size: 1h, grace: 10m }, groupBy: [event_name, platform], measures: [count] }
                lake: { uri: /replaced }
                """.formatted(key));
        List<InputRecord> inputs = new ArrayList<>();
        for (Event e : arrivals) {
            inputs.add(new InputRecord(
                    "mmp.appsflyer.events", null, null, e.json().getBytes(StandardCharsets.UTF_8), e.arrival()));
        }

        new EmbeddedRun(config, Map.of(), Duration.ofMinutes(3))
                .run(inputs, dir.resolve("work"), dir.resolve("lake"), dir.resolve("out"), dir.resolve("state"));

        Map<String, Long> actual = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("out/agg.hourly.jsonl"))) {
            JsonNode v = JSON.readTree(line).get("value");
            actual.merge(
                    v.get("window_start").asText() + " " + v.get("event_name").asText() + " "
                            + v.get("platform").asText(),
                    v.get("count").asLong(),
                    Long::sum);
        }
        assertThat(actual).isEqualTo(expected(arrivals));
    }

    /** The semantics, computed independently: first copy wins; late = window end + grace at or before stream time. */
    private static Map<String, Long> expected(List<Event> arrivals) {
        Map<String, Long> counts = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long streamTime = Long.MIN_VALUE;
        for (Event e : arrivals) {
            if (!seen.add(e.id())) {
                continue;
            }
            streamTime = Math.max(streamTime, e.eventTime());
            long windowStart = Math.floorDiv(e.eventTime(), HOUR) * HOUR;
            if (windowStart + HOUR + GRACE <= streamTime) {
                continue;
            }
            counts.merge(Instant.ofEpochMilli(windowStart) + " " + e.name() + " " + e.platform(), 1L, Long::sum);
        }
        return counts;
    }

    /** 900 events over three hours, 10% retried up to 20 minutes later, 5% arriving two hours late; in arrival order. */
    private static List<Event> stream(long start) {
        Random random = new Random(11);
        List<Event> arrivals = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            long eventTime = start + (long) (random.nextDouble() * 3 * HOUR);
            String name = random.nextBoolean() ? "af_purchase" : "af_app_opened";
            String platform = random.nextInt(3) == 0 ? "ios" : "android";
            long arrival = eventTime + 1_000 + random.nextInt(30_000) + (random.nextInt(20) == 0 ? 2 * HOUR : 0);
            Event event = new Event("af-" + i, name, platform, eventTime, arrival);
            arrivals.add(event);
            if (random.nextInt(10) == 0) {
                arrivals.add(new Event(event.id(), name, platform, eventTime, arrival + random.nextInt(20 * 60_000)));
            }
        }
        arrivals.sort(Comparator.comparingLong(Event::arrival));
        return arrivals;
    }

    private record Event(String id, String name, String platform, long eventTime, long arrival) {
        String json() {
            return "{\"appsflyer_id\":\"" + id + "\",\"event_name\":\"" + name + "\",\"platform\":\"" + platform
                    + "\",\"event_time\":\"" + APPSFLYER.format(Instant.ofEpochMilli(eventTime)) + "\"}";
        }
    }
}
