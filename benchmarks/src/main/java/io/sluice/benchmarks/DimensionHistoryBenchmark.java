package io.sluice.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * SCD2 throughput on the real pipeline and broker: CHANGES Debezium change events (schemaless JSON,
 * PostgreSQL positions) over KEYS users — a snapshot read per key, then updates of random keys, about
 * half of them changing a tracked column — through masking and the {@code users} dimension, until
 * the pipeline is idle. Reports drain throughput, versions opened and closed, the dimension store's
 * size and the heap.
 *
 * <p>Run (after {@code mvn -B -ntp package -DskipTests}):
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.DimensionHistoryBenchmark 1000000 100000}
 */
public final class DimensionHistoryBenchmark {
    private static final String[] CITIES = {"Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Ulsan", "Suwon"
    };

    private DimensionHistoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Files.createTempDirectory("sluice-dim-bench-");
        long start = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(
                                List.of("shop.public.users"),
                                new TopicSettings(Optional.of(1), Optional.empty()),
                                Map.of());
            }
            long produceStarted = System.nanoTime();
            Random random = new Random(7);
            String[] city = new String[keys];
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.LINGER_MS_CONFIG,
                            "20",
                            ProducerConfig.BATCH_SIZE_CONFIG,
                            "262144",
                            ProducerConfig.COMPRESSION_TYPE_CONFIG,
                            "lz4"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < changes; i++) {
                    boolean snapshot = i < keys;
                    int id = snapshot ? i : random.nextInt(keys);
                    if (snapshot || random.nextBoolean()) {
                        city[id] = CITIES[random.nextInt(CITIES.length)];
                    }
                    long lsn = 1_000L + i * 64L;
                    long commit = start + i * 50L;
                    String value = "{\"before\":null,\"after\":{\"id\":" + id + ",\"email\":\"user" + id
                            + "@example.com\",\"city\":\""
                            + city[id] + "\",\"visits\":" + i + "},\"source\":{\"ts_ms\":" + commit + ",\"lsn\":" + lsn
                            + ",\"txId\":" + (500 + i)
                            + "},\"op\":\"" + (snapshot ? "r" : "u") + "\"}";
                    producer.send(new ProducerRecord<>(
                            "shop.public.users",
                            null,
                            commit,
                            ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
            System.out.printf(
                    "produced %,d changes over %,d keys in %.1f s%n",
                    changes, keys, (System.nanoTime() - produceStarted) / 1e9);
            SluiceConfig config = ConfigLoader.parse("""
                    kafka: { bootstrap.servers: "%s", application.id: dim-bench }
                    sources: [ { name: shop, type: debezium, topics: [shop.public.users] } ]
                    pii:
                      key: { env: BENCH_PII_KEY }
                      rules:
                        - { table: users, column: "*", action: keep }
                        - { table: users, column: email, action: hash }
                    dimensions: [ { source: shop, table: users, key: [id], trackExcept: [visits], retention: 30d } ]
                    lake: { uri: "%s", flush: { records: 100000, interval: 5s } }
                    http: { enabled: false }
                    schemaRegistry: { url: "mock://dim-bench" }
                    """.formatted(kafka.bootstrapServers(), dir.resolve("lake")));
            SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
            long started = System.nanoTime();
            try (SluicePipeline pipeline = SluicePipeline.start(
                    config,
                    config.pii().toPolicy(Map.of("BENCH_PII_KEY", "dimension-benchmark-key-0123456789-abcdef")),
                    metrics,
                    config.schemaRegistry().connect(Map.of()),
                    dir.resolve("state"),
                    Map.of())) {
                pipeline.awaitIdle(Duration.ofHours(1));
                double seconds = (System.nanoTime() - started) / 1e9;
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.printf(
                        "processed %,d changes in %.1f s (%,.0f changes/s end to end: gate, repartition, SCD2, history, current "
                                + "and lake sink); versions opened %,d, closed %,d%n",
                        changes,
                        seconds,
                        changes / seconds,
                        (long) metrics.total("sluice.dimension.events", "event", "version_opened"),
                        (long) metrics.total("sluice.dimension.events", "event", "version_closed"));
                System.out.printf(
                        "dimension store: ~%,.0f keys (RocksDB estimate-num-keys), %,d bytes of SST files; heap used after GC: %,d MB%n",
                        StoreFigures.rocksdb(pipeline, "dim-users-store", "estimate-num-keys"),
                        StoreFigures.bytesOnDisk(dir.resolve("state"), "dim-users-store"),
                        (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }
}
