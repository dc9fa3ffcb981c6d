package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.dimensions.KeyHistoryCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SCD2 dimension history wired into the real topology: changes in, history and current rows out, state in the store. */
class DimensionTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "unused:9092", application.id: dim-test }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              key: { env: PII_KEY }
              rules:
                - { table: users, column: id, action: keep }
                - { table: users, column: email, action: hash }
                - { table: users, column: city, action: keep }
                - { table: users, column: visits, action: keep }
            dimensions:
              - { source: shop, table: users, key: [id], trackExcept: [visits], deletes: %s }
            dedup:
              - { source: shop, retention: 1h }
            lake: { uri: /tmp/unused }
            """;

    private TopologyHarness harness;
    private TopologyMetrics metrics;
    private TestInputTopic<byte[], byte[]> users;
    private TestOutputTopic<byte[], byte[]> history;
    private TestOutputTopic<byte[], byte[]> current;

    @BeforeEach
    void start() {
        start("invalidate");
    }

    private void start(String deletes) {
        if (harness != null) {
            harness.close();
        }
        harness = new TopologyHarness(CONFIG.formatted(deletes));
        metrics = harness.metrics;
        users = harness.input("shop.public.users");
        history = harness.output("dim.users.history");
        current = harness.output("dim.users.current");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aTrackedChangeClosesTheVersionAndOpensANewOneOnBothTopics() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 2));

        Map<String, JsonNode> versions = latestHistory();
        assertThat(versions).hasSize(2);
        JsonNode first = byVersion(versions, 1);
        JsonNode second = byVersion(versions, 2);
        assertThat(first.get("city").asText()).isEqualTo("Seoul");
        assertThat(first.get("valid_to").asLong()).isEqualTo(at("11:00:00"));
        assertThat(first.get("is_current").asBoolean()).isFalse();
        assertThat(second.get("valid_from").asLong()).isEqualTo(at("11:00:00"));
        assertThat(second.get("valid_to").isNull()).isTrue();
        assertThat(second.get("is_current").asBoolean()).isTrue();
        assertThat(second.get("email").asText())
                .as("masked like the curated row")
                .startsWith("k1:");
        assertThat(second.get("__event_time").asLong())
                .as("the lake partitions versions by their start")
                .isEqualTo(at("11:00:00"));
        List<KeyValue<byte[], byte[]>> currents = current.readKeyValuesToList();
        assertThat(new String(currents.get(currents.size() - 1).key, StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":1}");
        assertThat(harness.row(currents.get(currents.size() - 1).value)
                        .get("city")
                        .asText())
                .isEqualTo("Busan");
        assertThat(metrics.total("sluice.dimension.events", "event", "version_opened"))
                .isEqualTo(2.0);
        assertThat(metrics.total("sluice.dimension.events", "event", "version_closed"))
                .isEqualTo(1.0);
    }

    @Test
    void anUntrackedChangeUpdatesCurrentButNotHistory() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        history.readKeyValuesToList();
        current.readKeyValuesToList();

        users.pipeInput(key(1), change("u", 200, "10:30:00", 1, "Seoul", 5));

        assertThat(history.isEmpty()).isTrue();
        assertThat(harness.row(current.readValue()).get("visits").asLong()).isEqualTo(5);
    }

    @Test
    void anOutOfOrderChangeIsPlacedByItsSourcePositionAndAffectedRowsAreReEmitted() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("u", 300, "12:00:00", 1, "Daegu", 1));
        users.pipeInput(key(1), change("u", 400, "13:00:00", 1, "Incheon", 1));
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 1)); // arrives after two newer ones

        Map<String, JsonNode> versions = latestHistory();
        assertThat(versions.values().stream().map(v -> v.get("city").asText()).sorted())
                .containsExactly("Busan", "Daegu", "Incheon", "Seoul");
        assertThat(byVersion(versions, 1).get("valid_to").asLong()).isEqualTo(at("11:00:00"));
        assertThat(byVersion(versions, 2).get("city").asText()).isEqualTo("Busan");
        assertThat(byVersion(versions, 2).get("valid_to").asLong()).isEqualTo(at("12:00:00"));
        assertThat(byVersion(versions, 4).get("city").asText()).isEqualTo("Incheon");
        assertThat(metrics.total("sluice.dimension.events", "event", "out_of_order_correction"))
                .isEqualTo(1.0);
    }

    @Test
    void aRetractionTombstoneNamesTheValidFromOfTheVersionItRemovesForTheLake() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("u", 300, "12:00:00", 1, "Busan", 1));
        history.readKeyValuesToList();

        // Busan from 11:00, arriving late, makes the version opened at 12:00 (also Busan) redundant
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 1));

        List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> emitted = history.readRecordsToList();
        List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> tombstones =
                emitted.stream().filter(r -> r.value() == null).toList();
        assertThat(tombstones).hasSize(1);
        org.apache.kafka.common.header.Header header =
                tombstones.get(0).headers().lastHeader(io.sluice.schemas.CuratedFields.TOMBSTONE_EVENT_TIME_HEADER);
        assertThat(new String(header.value(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(at("12:00:00")));
        assertThat(emitted.stream()
                        .filter(r -> r.value() != null)
                        .allMatch(
                                r -> r.headers().lastHeader(io.sluice.schemas.CuratedFields.TOMBSTONE_EVENT_TIME_HEADER)
                                        == null))
                .as("an upsert carries its valid_from in its row")
                .isTrue();
    }

    @Test
    void aRedeliveredChangeIsANoOp() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 1));
        history.readKeyValuesToList();

        // A connector restart re-sends the update (with a later Kafka timestamp); the dedup horizon is bypassed by a
        // new key path.
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 1));

        assertThat(history.isEmpty()).isTrue();
    }

    @Test
    void deleteThenReinsertClosesAndStartsANewVersion() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("d", 200, "11:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("c", 300, "12:00:00", 1, "Seoul", 1));

        Map<String, JsonNode> versions = latestHistory();
        assertThat(versions).hasSize(2);
        assertThat(byVersion(versions, 1).get("valid_to").asLong()).isEqualTo(at("11:00:00"));
        assertThat(byVersion(versions, 2).get("valid_from").asLong()).isEqualTo(at("12:00:00"));
        assertThat(byVersion(versions, 2).get("is_current").asBoolean()).isTrue();
        List<KeyValue<byte[], byte[]>> currents = current.readKeyValuesToList();
        assertThat(currents.get(1).value)
                .as("the delete tombstones the current row")
                .isNull();
        assertThat(metrics.total("sluice.dimension.events", "event", "delete")).isEqualTo(1.0);
    }

    @Test
    void newRecordDeletesAddADeletedVersion() throws Exception {
        start("new_record");
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("d", 200, "11:00:00", 1, "Seoul", 1));

        JsonNode deleted = byVersion(latestHistory(), 2);
        assertThat(deleted.get("is_deleted").asBoolean()).isTrue();
        assertThat(deleted.get("change_op").asText()).isEqualTo("d");
    }

    @Test
    void theStateStoreHoldsTheKeysHistoryForAsOfQueries() throws Exception {
        users.pipeInput(key(1), change("c", 100, "10:00:00", 1, "Seoul", 1));
        users.pipeInput(key(1), change("u", 200, "11:00:00", 1, "Busan", 1));

        KeyValueStore<String, byte[]> store = harness.driver.getKeyValueStore("dim-users-store");
        byte[] state = store.get(io.sluice.dimensions.NaturalKey.storeKey(List.of(1L)));
        assertThat(state).isNotNull();
        assertThat(new io.sluice.dimensions.DimensionHistory(
                                harness.config.dimensions().get(0).spec())
                        .asOfRow(new KeyHistoryCodec().decode(state), at("10:30:00"))
                        .orElseThrow())
                .containsEntry("city", "Seoul");
    }

    /** The last row per scd_id (retractions remove it), as a compacted history topic ends up. */
    private Map<String, JsonNode> latestHistory() {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (KeyValue<byte[], byte[]> kv : history.readKeyValuesToList()) {
            String scdId = new String(kv.key, StandardCharsets.UTF_8);
            if (kv.value == null) {
                latest.remove(scdId);
            } else {
                latest.put(scdId, harness.row(kv.value));
            }
        }
        return latest;
    }

    private static JsonNode byVersion(Map<String, JsonNode> versions, int version) {
        return versions.values().stream()
                .filter(v -> v.get("version").asInt() == version)
                .findFirst()
                .orElseThrow();
    }

    private static long at(String time) {
        return Instant.parse("2026-11-22T" + time + "Z").toEpochMilli();
    }

    private static byte[] key(int id) {
        return ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] change(String op, long lsn, String time, int id, String city, int visits) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("email", "user" + id + "@example.com");
        row.put("city", city);
        row.put("visits", visits);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("before", op.equals("d") ? row : null);
        envelope.put("after", op.equals("d") ? null : row);
        envelope.put("source", Map.of("ts_ms", at(time), "lsn", lsn, "txId", lsn / 10));
        envelope.put("op", op);
        return JSON.writeValueAsBytes(envelope);
    }
}
