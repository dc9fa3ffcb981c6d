package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import io.sluice.replay.InputRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchDataGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = 1_795_000_000_000L / 3_600_000 * 3_600_000;
    private static final Duration FOUR_HOURS = Duration.ofHours(4);

    private static List<InputRecord> generate(SluiceConfig config, long records, boolean faults, LatencyCarrier stamp) {
        List<InputRecord> out = new ArrayList<>();
        new BenchDataGenerator(config, records, START, FOUR_HOURS, 7, new FeedFaults(faults), stamp)
                .forEachRemaining(out::add);
        return out;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void generatesExactlyTheRequestedRecordsInArrivalOrder() {
        List<InputRecord> records = generate(BenchConfigs.full(), 20_000, true, null);

        assertThat(records).hasSize(20_000);
        assertThat(records).extracting(InputRecord::timestamp).isSorted();
    }

    @Test
    void givesMmpTopicsTwiceTheShareOfCdcTopics() {
        List<InputRecord> records = generate(BenchConfigs.full(), 20_000, true, null);

        long mmp = records.stream()
                .filter(r -> r.topic().equals("mmp.appsflyer.events"))
                .count();
        assertThat(mmp).isBetween(12_500L, 14_200L);
    }

    @Test
    void injectsAboutFivePercentDuplicates() {
        List<InputRecord> records = generate(BenchConfigs.full(), 20_000, true, null);

        Set<String> seen = new HashSet<>();
        long copies = records.stream()
                .filter(r -> r.value() != null)
                .filter(r ->
                        !seen.add(r.topic() + Arrays.toString(r.key()) + new String(r.value(), StandardCharsets.UTF_8)))
                .count();
        assertThat(copies).isBetween(700L, 1_300L);
    }

    @Test
    void spreadsEventTimeOverTheHoursAndDelaysSomeMmpEventsByTwoHours() {
        List<InputRecord> events = generate(BenchConfigs.full(), 20_000, true, null).stream()
                .filter(r -> r.topic().equals("mmp.appsflyer.events"))
                .toList();

        long late = events.stream()
                .filter(r -> r.timestamp() - eventTime(r) >= FeedFaults.LATE_BY.toMillis())
                .count();
        assertThat(late).isBetween(50L, 250L);
        assertThat(events.stream()
                        .mapToLong(BenchDataGeneratorTest::eventTime)
                        .min()
                        .orElseThrow())
                .isLessThan(START + 60_000);
        assertThat(events.stream()
                        .mapToLong(BenchDataGeneratorTest::eventTime)
                        .max()
                        .orElseThrow())
                .isGreaterThan(START + FOUR_HOURS.toMillis() - 60_000);
    }

    private static long eventTime(InputRecord r) {
        try {
            return io.sluice.serdes.EventTimeParser.parseMillis(
                    json(r.value()).get("event_time").textValue());
        } catch (io.sluice.serdes.DecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cdcChangesCarryTheColumnsTheConfigurationNamesAndGrowingLsns() {
        List<JsonNode> changes = generate(BenchConfigs.full(), 5_000, false, null).stream()
                .filter(r -> r.topic().equals("shop.public.users") && r.value() != null)
                .map(r -> json(r.value()))
                .toList();

        JsonNode after = changes.stream()
                .map(c -> c.get("after"))
                .filter(a -> a != null && !a.isNull())
                .findFirst()
                .orElseThrow();
        assertThat(after.has("id") && after.has("email") && after.has("city") && after.has("tier"))
                .isTrue();
        assertThat(changes).extracting(c -> c.get("op").textValue()).contains("r", "c", "u", "d");
        assertThat(changes)
                .extracting(c -> c.get("source").get("lsn").longValue())
                .isSorted();
    }

    @Test
    void sameSeedGivesTheSameInput() {
        List<InputRecord> first = generate(BenchConfigs.full(), 2_000, true, null);
        List<InputRecord> second = generate(BenchConfigs.full(), 2_000, true, null);

        assertThat(second).hasSize(first.size());
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
        }
    }

    @Test
    void carrierRecordsHoldTheStampPlaceholder() {
        LatencyCarrier carrier = new LatencyCarrier("mmp.appsflyer.events", "af_sub5", "curated.mmp.events");

        List<InputRecord> events = generate(BenchConfigs.full(), 1_000, false, carrier).stream()
                .filter(r -> r.topic().equals(carrier.topic()))
                .toList();

        assertThat(events)
                .isNotEmpty()
                .allMatch(r -> json(r.value()).get("af_sub5").textValue().equals(LatencyStamp.PLACEHOLDER));
    }

    @Test
    void refusesAvroSources() {
        SluiceConfig avro = BenchConfigs.parse("""
                kafka: { bootstrap.servers: "localhost:9092" }
                sources: [ { name: shop, type: debezium, topics: [shop.public.users], format: avro } ]
                pii: { unlisted: keep }
                lake: { uri: /tmp/lake }
                schemaRegistry: { url: "mock://x" }
                """);

        assertThatThrownBy(() -> generate(avro, 10, false, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Avro");
    }
}
