package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.schemas.CuratedFields;
import io.sluice.serdes.registry.InProcessSchemaRegistry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tombstones on a topic the lake keeps as upserts, as they come: with the event-time header (at 1970 and years
 * ahead too) they reach the hour they name; without it, or with garbage in it, they are left out and the sink goes on.
 */
class LakeSinkTombstoneTest {
    private static final String TOPIC = "dim.users.history";
    private static final String TABLE = "dim_users_history";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final String scope = "lake-tombstones-" + UUID.randomUUID();
    private final SchemaRegistry registry = SchemaRegistry.connect(RegistrySettings.of("mock://" + scope));

    @TempDir
    Path dir;

    @AfterEach
    void drop() {
        InProcessSchemaRegistry.dropScope(scope);
    }

    @Test
    void tombstonesWithTheirHourGoToItAndOnesWithoutAreLeftOutWithoutStoppingTheSink() throws Exception {
        long farAhead = java.time.Instant.parse("2099-12-31T23:30:00Z").toEpochMilli();
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.addRecord(tombstone(0, "a", "0"));
            consumer.addRecord(tombstone(1, "b", Long.toString(farAhead)));
            consumer.addRecord(tombstone(2, "c", null));
            consumer.addRecord(tombstone(3, "d", "１２３")); // full-width digits: not an epoch-ms time
            consumer.addRecord(tombstone(4, "e", "9".repeat(40)));
        });
        LakeFileSystem lake = LakeFileSystem.open(dir.toString());
        LakeSink sink = new LakeSink(
                consumer,
                Map.of(TOPIC, TABLE),
                Map.of(TABLE, "scd_id"),
                Map.of(),
                new Tier0Writer(lake),
                new Tier0Buffer.FlushPolicy(2, 1 << 20, Duration.ofMillis(10)),
                new LakeMetrics(new SimpleMeterRegistry()),
                registry,
                lake,
                LakeSink.ClusterStatus.IGNORED);
        sink.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (committed(consumer) < 5) {
                assertThat(System.nanoTime())
                        .as("every record read and committed")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            sink.close();
        }

        assertThat(sink.failure()).isNull();
        LakeFixture files = new LakeFixture(dir);
        assertThat(files.files("raw/" + TABLE))
                .as("a and b in the hours their headers name; c, d and e left out")
                .hasSize(2)
                .anyMatch(f -> f.contains("year=1970/month=01/day=01/hour=00"))
                .anyMatch(f -> f.contains("year=2099/month=12/day=31/hour=23"));
        assertThat(UpsertKeys.keyOf(lake.fs(), lake.layout(), TABLE)).isEqualTo("scd_id");
    }

    private static long committed(MockConsumer<byte[], byte[]> consumer) {
        var at = consumer.committed(java.util.Set.of(PARTITION)).get(PARTITION);
        return at == null ? -1 : at.offset();
    }

    private static ConsumerRecord<byte[], byte[]> tombstone(long offset, String scdId, String eventTime) {
        RecordHeaders headers = new RecordHeaders();
        if (eventTime != null) {
            headers.add(CuratedFields.TOMBSTONE_EVENT_TIME_HEADER, eventTime.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                TOPIC,
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                scdId.getBytes(StandardCharsets.UTF_8),
                null,
                headers,
                Optional.empty());
    }
}
