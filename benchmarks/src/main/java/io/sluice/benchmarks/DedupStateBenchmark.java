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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Bounded dedup state, on the real pipeline and broker: pushes EVENTS MMP events carrying IDS
 * distinct events (the rest are retried copies, each within minutes of its original) spread over
 * HOURS of event time through dedup with a one-hour horizon, then reports the dedup store's size on
 * disk and the heap. A store bounded by the horizon holds about IDS / HOURS identities, not IDS.
 *
 * <p>Run (after {@code mvn -B -ntp package -DskipTests}):
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.DedupStateBenchmark 5000000 2000000 6}
 */
public final class DedupStateBenchmark {
    private static final DateTimeFormatter APPSFLYER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private DedupStateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int ids = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
        int hours = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Path dir = Files.createTempDirectory("sluice-dedup-bench-");
        long hourMs = Duration.ofHours(1).toMillis();
        long start = (System.currentTimeMillis() / hourMs - hours - 1) * hourMs;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(
                                List.of("mmp.appsflyer.events"),
                                new TopicSettings(Optional.of(1), Optional.empty()),
                                Map.of());
            }
            long produceStarted = System.nanoTime();
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
                double copiesPerId = (double) events / ids;
                int sent = 0;
                for (int id = 0; id < ids && sent < events; id++) {
                    long eventTime = start + (long) id * hours * hourMs / ids;
                    byte[] value = ("{\"appsflyer_id\":\"af-" + id
                                    + "\",\"event_name\":\"af_app_opened\",\"event_time\":\""
                                    + APPSFLYER.format(Instant.ofEpochMilli(eventTime))
                                    + "\",\"platform\":\"android\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    int copies = (int) Math.round(copiesPerId * (id + 1)) - (int) Math.round(copiesPerId * id);
                    for (int c = 0; c < Math.max(1, copies) && sent < events; c++, sent++) {
                        producer.send(
                                new ProducerRecord<>("mmp.appsflyer.events", null, eventTime + c * 1000L, null, value));
                    }
                }
                producer.flush();
                System.out.printf(
                        "produced %,d events (%,d distinct) in %.1f s%n",
                        sent, ids, (System.nanoTime() - produceStarted) / 1e9);
            }
            SluiceConfig config = ConfigLoader.parse("""
                    kafka: { bootstrap.servers: "%s", application.id: dedup-bench }
                    sources: [ { name: mmp, type: mmp, topics: [mmp.appsflyer.events] } ]
                    pii: { rules: [ { source: mmp, column: "*", action: keep } ] }
                    dedup: [ { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 1h } ]
                    lake: { uri: "%s", flush: { records: 100000, interval: 5s } }
                    http: { enabled: false }
                    schemaRegistry: { url: "mock://dedup-bench" }
                    """.formatted(kafka.bootstrapServers(), dir.resolve("lake")));
            SluiceMetrics metrics = new SluiceMetrics(new SimpleMeterRegistry());
            long started = System.nanoTime();
            try (SluicePipeline pipeline = SluicePipeline.start(
                    config,
                    config.pii().toPolicy(Map.of()),
                    metrics,
                    config.schemaRegistry().connect(Map.of()),
                    dir.resolve("state"),
                    Map.of())) {
                pipeline.awaitIdle(Duration.ofHours(1));
                double seconds = (System.nanoTime() - started) / 1e9;
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.printf(
                        "processed in %.1f s (%,.0f events/s); duplicates dropped %,d%n",
                        seconds, events / seconds, (long) metrics.total("sluice.duplicates.dropped"));
                System.out.printf(
                        "dedup store: ~%,.0f live identities (RocksDB estimate-num-keys over its segments), %,.0f bytes in "
                                + "memtables, %,d bytes of SST files; heap used after GC: %,d MB; horizon 1 h over %d h of event time%n",
                        StoreFigures.rocksdb(pipeline, "dedup-mmp-store", "estimate-num-keys"),
                        StoreFigures.rocksdb(pipeline, "dedup-mmp-store", "size-all-mem-tables"),
                        StoreFigures.bytesOnDisk(dir.resolve("state"), "dedup-mmp-store"),
                        (rt.totalMemory() - rt.freeMemory()) >> 20,
                        hours);
            }
        }
    }
}
