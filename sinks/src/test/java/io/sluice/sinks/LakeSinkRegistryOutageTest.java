package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.serdes.avro.CuratedAvroWriter;
import io.sluice.serdes.registry.InProcessSchemaRegistry;
import io.sluice.serdes.registry.RegistryOutage;
import io.sluice.serdes.registry.RegistryRetry;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.RegistryStates;
import io.sluice.serdes.registry.RetryingSchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake sink waits out a schema registry that is down, then writes every record it could not read, and never fails. */
class LakeSinkRegistryOutageTest {
    private static final String TOPIC = "curated.shop.users";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final String scope = "lake-outage-" + UUID.randomUUID();
    private final SchemaRegistry real = SchemaRegistry.connect(RegistrySettings.of("mock://" + scope));
    private final RegistryOutage registry = new RegistryOutage(real);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LakeMetrics metrics = new LakeMetrics(meters);
    private final RegistryStates states = new RegistryStates();
    private final Replaying consumer = new Replaying();

    @TempDir
    Path lakeDir;

    @AfterEach
    void drop() {
        InProcessSchemaRegistry.dropScope(scope);
    }

    @Test
    void aRegistryDownWhileReadingIsWaitedOutAndEveryRecordReachesTheLakeOnceItIsBack() throws Exception {
        CuratedAvroWriter writer = new CuratedAvroWriter(real);
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            for (long offset = 0; offset < 3; offset++) {
                consumer.addRecord(new ConsumerRecord<>(
                        TOPIC,
                        0,
                        offset,
                        null,
                        writer.write(TOPIC, "io.sluice.curated.shop.users", "users", Map.of(), row(offset))));
            }
        });
        registry.down("");
        LakeSink sink = new LakeSink(
                consumer,
                Map.of(TOPIC, "shop_users"),
                Map.of(),
                Map.of(),
                new Tier0Writer(LakeFileSystem.open(lakeDir.toString())),
                new Tier0Buffer.FlushPolicy(3, 1 << 20, Duration.ofHours(1)),
                metrics,
                RetryingSchemaRegistry.wrap(registry, new RegistryRetry(2, Duration.ofMillis(1)), states),
                LakeFileSystem.open(lakeDir.toString()),
                LakeSink.ClusterStatus.IGNORED);
        sink.start();
        try {
            await(() -> registry.failedCalls() >= 4, "the sink tried the registry again after a wait");

            assertThat(sink.failure())
                    .as("a registry outage never stops the sink")
                    .isNull();
            assertThat(states.isDown()).as("the registry reported down").isTrue();
            assertThat(lakeRows()).isZero();
            assertThat(committed())
                    .as("nothing committed past a record not yet written")
                    .isLessThanOrEqualTo(0);

            registry.up();
            await(() -> committed() == 3, "every record written and committed once the registry is back");

            assertThat(lakeRows()).isEqualTo(3.0);
            assertThat(states.gaveUp())
                    .as("registry calls given up on, then read again")
                    .isGreaterThanOrEqualTo(2);
            assertThat(states.isDown()).isFalse();
            assertThat(sink.failure()).isNull();
        } finally {
            sink.close();
        }
    }

    private double lakeRows() {
        return Search.in(meters).name("sluice.lake.rows").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private long committed() {
        OffsetAndMetadata at = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return at == null ? -1 : at.offset();
    }

    private static Map<String, Object> row(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("__event_time", 1763780000000L + id);
        row.put("id", id);
        return row;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A MockConsumer that, like a broker, delivers records again after a seek back (MockConsumer forgets polled records). */
    private static final class Replaying extends MockConsumer<byte[], byte[]> {
        private final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();

        Replaying() {
            super("earliest");
        }

        @Override
        public synchronized void addRecord(ConsumerRecord<byte[], byte[]> record) {
            all.add(record);
            super.addRecord(record);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            all.stream()
                    .filter(r -> r.partition() == partition.partition()
                            && r.topic().equals(partition.topic())
                            && r.offset() >= offset)
                    .forEach(super::addRecord);
        }
    }
}
