package io.sluice.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding of real Debezium 3.6.1 events captured from PostgreSQL 14 (pgoutput) — snapshot, insert,
 * updates (one a no-op), deletes under REPLICA IDENTITY DEFAULT and FULL, tombstones, a multi-table
 * transaction, a column added by ALTER TABLE, NULLs, Korean text, precise decimals, a logical
 * message and a truncate — in both JSON converter forms. How they were captured:
 * docs/research/sources-and-schemas.md.
 */
class CapturedDebeziumEventsTest {

    @Test
    void decodesEveryCapturedSchemalessEvent() throws Exception {
        List<DecodeOutcome> outcomes = decodeAll("/debezium/postgres-schemaless-precise.jsonl");

        assertThat(outcomes)
                .extracting(o ->
                        o instanceof DecodedRecord r ? r.table() + ":" + r.op() : ((DecodeOutcome.Skipped) o).reason())
                .containsExactly(
                        "users:r",
                        "users:c",
                        "users:u",
                        "users:u",
                        "users:d",
                        "tombstone",
                        "users:c",
                        "orders:c",
                        "orders:u",
                        "orders:d",
                        "tombstone",
                        "users:c",
                        "message",
                        "truncate");
    }

    @Test
    void keepsKoreanTextNullsAndTheSourcePosition() throws Exception {
        DecodedRecord snapshot = (DecodedRecord)
                decodeAll("/debezium/postgres-schemaless-precise.jsonl").get(0);

        assertThat(snapshot.row())
                .containsEntry("name", "김민준")
                .containsEntry("city", "서울")
                .containsEntry("birth_date", 7364L)
                .containsEntry("profile", "{\"tier\": \"gold\"}");
        assertThat(snapshot.key()).containsEntry("id", 1L);
        assertThat(snapshot.position().lsn()).isPositive();
        assertThat(snapshot.position().text())
                .isEqualTo("pg:" + snapshot.position().lsn() + ":"
                        + snapshot.position().txId());
        DecodedRecord insert = (DecodedRecord)
                decodeAll("/debezium/postgres-schemaless-precise.jsonl").get(1);
        assertThat(insert.row()).containsEntry("city", null).containsEntry("profile", null);
    }

    @Test
    void deleteUnderReplicaIdentityDefaultCarriesPlaceholdersAndFullCarriesTheRow() throws Exception {
        List<DecodeOutcome> outcomes = decodeAll("/debezium/postgres-schemaless-precise.jsonl");
        DecodedRecord defaultIdentity = (DecodedRecord) outcomes.get(4);
        DecodedRecord fullIdentity = (DecodedRecord) outcomes.get(9);

        assertThat(defaultIdentity.deleted()).isTrue();
        assertThat(defaultIdentity.row()).containsEntry("id", 2L).containsEntry("email", "");
        assertThat(fullIdentity.row()).containsEntry("status", "PAID");
    }

    @Test
    void aColumnAddedByAlterTableSimplyAppears() throws Exception {
        DecodedRecord after = (DecodedRecord)
                decodeAll("/debezium/postgres-schemaless-precise.jsonl").get(11);

        assertThat(after.row()).containsEntry("tier", "vip");
    }

    @Test
    void withSchemasDecodesLogicalTypes() throws Exception {
        List<DecodeOutcome> outcomes = decodeAll("/debezium/postgres-with-schema-precise.jsonl");
        DecodedRecord snapshot = (DecodedRecord) outcomes.get(0);

        assertThat(snapshot.row().get("birth_date")).isEqualTo("1990-03-01");
        assertThat(snapshot.row().get("balance")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(snapshot.row().get("created_at")).isEqualTo("2024-05-01T00:30:00.000000Z");
        assertThat(snapshot.row().get("ext_id")).isEqualTo("7b0c6f5e-1d2a-4c1e-9c4f-2b3c4d5e6f70");
        assertThat(snapshot.key()).containsEntry("id", 1L);
        assertThat(outcomes.get(1)).isEqualTo(new DecodeOutcome.Skipped("tombstone"));
    }

    private static List<DecodeOutcome> decodeAll(String resource) throws Exception {
        List<DecodeOutcome> outcomes = new ArrayList<>();
        for (String line : lines(resource)) {
            JsonNode record = JsonTree.MAPPER.readTree(line);
            String topic = record.get("topic").asText();
            byte[] key = record.get("key").isNull()
                    ? null
                    : record.get("key").toString().getBytes(StandardCharsets.UTF_8);
            byte[] value = record.get("value").isNull()
                    ? null
                    : record.get("value").toString().getBytes(StandardCharsets.UTF_8);
            outcomes.add(new DebeziumJsonDecoder(topic.substring(topic.lastIndexOf('.') + 1)).decode(key, value));
        }
        return outcomes;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = CapturedDebeziumEventsTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}
