package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Avro;
import io.debezium.engine.format.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every edge value PostgreSQL accepts, captured by real Debezium engines in every converter form
 * (JSON with and without schemas, Avro through Apicurio) across the time.precision.mode and
 * decimal.handling.mode combinations that change what Debezium writes, curated by Sluice against the
 * real broker: not one dead letter, every row curated, and the curated values docs/cdc-values.md
 * promises. One PostgreSQL, one broker and one pipeline for the class; one engine (own topic prefix,
 * own replication slot) per combination, each seeing the same rows first by snapshot, then streamed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresEdgeValuesEndToEndTest {
    private static final String TABLE =
            "create table edge (id serial primary key, label text not null, t time, t0 time(0), ttz timetz,"
                    + " d date, ts timestamp, ts0 timestamp(0), tstz timestamptz, n numeric, n2 numeric(12,2), f8 double precision, f4 real,"
                    + " iv interval, m money)";
    /** The edge rows; %1$s prefixes the labels, so that streamed copies tell themselves apart from the snapshot's. */
    private static final String ROWS =
            "insert into edge(label, t, t0, ttz, d, ts, ts0, tstz, n, n2, f8, f4, iv, m) values "
                    + "('%1$splain', '12:34:56.789', '12:34:56', '12:34:56+09', '2024-02-29', '2024-02-29 12:34:56.789012', '2024-02-29 12:34:56',"
                    + " '2024-02-29 12:34:56.789012+09', 1234.5678, 1234.56, 0.1, 0.1, '1 year 2 mons 3 days 04:05:06.789', 1234.56),"
                    + "('%1$sinf', '24:00:00', '24:00:00', '24:00:00+00', 'infinity', 'infinity', 'infinity', 'infinity', 'NaN', 'NaN', 'NaN', 'NaN',"
                    + " '178000000 years', '92233720368547758.07'),"
                    + "('%1$sminus-inf', '00:00:00', '00:00:00', '00:00:00-15:59', '-infinity', '-infinity', '-infinity', '-infinity', 'Infinity', 99.5,"
                    + " 'Infinity', 'Infinity', '-178000000 years', '-92233720368547758.08'),"
                    + "('%1$sy9999', '23:59:59.999999', '23:59:59', '24:00:00-15:59', '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59',"
                    + " '9999-12-31 23:59:59.999999+00', '-Infinity', -99.5, '-Infinity', '-Infinity', '1 day 00:00:00.000001', 0),"
                    + "('%1$sbc', '12:00:00', '12:00:00', '12:00:00+15:59', '0044-03-15 BC', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00 BC',"
                    + " '0044-03-15 12:00:00+00 BC', repeat('9', 1000)::numeric, -9999999999.99, 1.7976931348623157e308, 3.4028235e38, '-1 microsecond', 1),"
                    + "('%1$smin', '00:00:00.000001', '00:00:01', '00:00:00+00', '4713-01-01 BC', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00 BC',"
                    + " '4713-01-01 00:00:00+00 BC', ('0.' || repeat('0', 16382) || '1')::numeric, 0, 4.9e-324, 1.4e-45, '0', 0.01),"
                    + "('%1$smax', '00:00:00', '00:00:00', '00:00:00+00', '5874897-12-31', '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59',"
                    + " '294276-12-31 23:59:59.999999+00', (repeat('9', 131072) || '.' || repeat('9', 16383))::numeric, 0, -0.0, -0.0, '0', 0)";

    private static final int ROW_COUNT = 7;

    /** The converter forms Sluice reads. */
    enum Form {
        JSON_SCHEMA,
        JSON_PLAIN,
        AVRO
    }

    /** One Debezium engine's settings: its converter form and modes; its name is its topic prefix and Sluice source. */
    record Capture(String name, Form form, String timeMode, String decimalMode) {
        String topic() {
            return name + ".public.edge";
        }

        String curated() {
            return "curated." + name + ".edge";
        }
    }

    private static final List<Capture> CAPTURES = List.of(
            new Capture("js_adaptive_precise", Form.JSON_SCHEMA, "adaptive", "precise"),
            new Capture("js_adaptivemicros_double", Form.JSON_SCHEMA, "adaptive_time_microseconds", "double"),
            new Capture("js_connect_string", Form.JSON_SCHEMA, "connect", "string"),
            new Capture("js_isostring_precise", Form.JSON_SCHEMA, "isostring", "precise"),
            new Capture("js_micros_double", Form.JSON_SCHEMA, "microseconds", "double"),
            new Capture("js_nanos_string", Form.JSON_SCHEMA, "nanoseconds", "string"),
            new Capture("jp_adaptive_double", Form.JSON_PLAIN, "adaptive", "double"),
            new Capture("jp_connect_precise", Form.JSON_PLAIN, "connect", "precise"),
            new Capture("jp_isostring_string", Form.JSON_PLAIN, "isostring", "string"),
            new Capture("av_adaptive_precise", Form.AVRO, "adaptive", "precise"),
            new Capture("av_nanos_double", Form.AVRO, "nanoseconds", "double"),
            new Capture("av_connect_string", Form.AVRO, "connect", "string"));

    private static final String CONFIG = """
            kafka: { bootstrap.servers: "%s", application.id: edge-values-e2e, commit.interval.ms: 200 }
            sources:
            %s
            pii:
              key: { file: "%s" }
              rules:
                - { column: "*", action: keep }
            lake: { uri: "%s", flush: { interval: 1s } }
            schemaRegistry: { url: "%s" }
            """;

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private EmbeddedPostgres postgres;
    private EmbeddedSchemaRegistry apicurio;
    private SchemaRegistry registry;
    private SluicePipeline pipeline;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<DebeziumEngine<?>> engines = new ArrayList<>();
    private final ExecutorService engineThreads = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> captured = new HashMap<>();
    private final List<Throwable> engineErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(
                            CAPTURES.stream().map(Capture::topic).toList(),
                            new TopicSettings(Optional.of(1), Optional.empty()),
                            Map.of());
        }
        apicurio = EmbeddedSchemaRegistry.start(dir.resolve("registry"));
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .start();
        DebeziumPostgres.sql(postgres, TABLE, ROWS.formatted(""));

        Path key = dir.resolve("key");
        Files.writeString(key, "edge-values-e2e-secret-0123456789-0123456789");
        String sources = CAPTURES.stream()
                .map(c -> "  - { name: " + c.name() + ", type: debezium, topics: [" + c.topic() + "], format: "
                        + (c.form() == Form.AVRO ? "avro" : "json") + " }")
                .collect(Collectors.joining("\n"));
        SluiceConfig config = ConfigLoader.parse(
                CONFIG.formatted(kafka.bootstrapServers(), sources, key, dir.resolve("lake"), apicurio.url()));
        registry = config.schemaRegistry().connect(Map.of());
        pipeline = SluicePipeline.start(
                config,
                config.pii().toPolicy(Map.of()),
                new SluiceMetrics(new SimpleMeterRegistry()),
                registry,
                dir.resolve("state"),
                Map.of());
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        4 * 1024 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());

        // One snapshot at a time (two at once wait on each other's locks), then one streamed copy of every row for all.
        for (Capture capture : CAPTURES) {
            captured.put(capture.name(), new AtomicInteger());
            DebeziumEngine<?> engine = engine(capture);
            engines.add(engine);
            engineThreads.execute(engine);
            awaitCaptured(capture, ROW_COUNT);
        }
        DebeziumPostgres.sql(postgres, ROWS.formatted("s-"));
        for (Capture capture : CAPTURES) {
            awaitCaptured(capture, 2 * ROW_COUNT);
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (DebeziumEngine<?> engine : engines) {
            engine.close();
        }
        engineThreads.shutdown();
        engineThreads.awaitTermination(30, TimeUnit.SECONDS);
        if (producer != null) {
            producer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (apicurio != null) {
            apicurio.close();
        }
    }

    @Test
    @Order(1)
    void curatesEveryEdgeValueInEveryFormAndModeWithoutADeadLetter() throws Exception {
        Map<String, Map<String, Map<String, Object>>> curated = awaitCurated();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get())
                    .as("the dead-letter topic exists, so its emptiness means something")
                    .contains(SluiceConfig.DEFAULT_DEAD_LETTER_TOPIC);
        }
        assertThat(TopicContent.read(
                        kafka.bootstrapServers(), List.of(SluiceConfig.DEFAULT_DEAD_LETTER_TOPIC), "read_uncommitted"))
                .as("dead letters")
                .isEmpty();
        assertThat(engineErrors).isEmpty();
        for (Capture capture : CAPTURES) {
            Map<String, Map<String, Object>> rows = curated.get(capture.name());
            assertThat(rows).as(capture.name()).hasSize(2 * ROW_COUNT);
            for (String prefix : List.of("", "s-")) {
                String as = capture.name() + " " + (prefix.isEmpty() ? "snapshot" : "streamed");
                expectTimes(capture, rows, prefix, as);
                expectNumbers(capture, rows, prefix, as);
            }
            expectDates(capture, rows);
        }
    }

    @Test
    @Order(2)
    void aNumberNoDatabaseStoresIsDeadLetteredAsNumberOutOfRange() throws Exception {
        Capture json = CAPTURES.get(0);
        for (String number : List.of("1e-2000000000", "1e999999999")) {
            producer.send(new ProducerRecord<>(
                            json.topic(),
                            null,
                            bytes("{\"op\":\"c\",\"source\":{\"ts_ms\":1700000000000},"
                                    + "\"after\":{\"id\":-1,\"label\":\"hostile\",\"n\":" + number + "}}")))
                    .get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> entries;
        do {
            Thread.sleep(250);
            entries =
                    TopicContent.read(
                                    kafka.bootstrapServers(),
                                    List.of(SluiceConfig.DEFAULT_DEAD_LETTER_TOPIC),
                                    "read_committed")
                            .stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .toList();
        } while (entries.size() < 2 && System.nanoTime() < deadline);

        assertThat(entries)
                .hasSize(2)
                .allSatisfy(entry -> assertThat(entry)
                        .contains("number-out-of-range")
                        .contains("field 'n'")
                        .doesNotContain("2000000000")
                        .doesNotContain("999999999"));
    }

    /** {@code time '24:00:00'} and the other times, as docs/cdc-values.md tabulates them. */
    private static void expectTimes(Capture capture, Map<String, Map<String, Object>> rows, String prefix, String as) {
        Map<String, Object> inf = rows.get(prefix + "inf");
        Map<String, Object> y9999 = rows.get(prefix + "y9999");
        Map<String, Object> min = rows.get(prefix + "min");
        switch (capture.form() == Form.JSON_PLAIN ? "plain-" + capture.timeMode() : capture.timeMode()) {
            case "isostring", "plain-isostring" -> {
                assertThat(inf.get("t")).as(as).isEqualTo("00:00:00Z"); // Debezium's own text wraps 24:00 to midnight
                assertThat(y9999.get("t")).as(as).isEqualTo("23:59:59.999999Z");
            }
            case "plain-adaptive", "plain-connect" -> {
                assertThat(inf.get("t"))
                        .as(as)
                        .isEqualTo(capture.timeMode().equals("connect") ? 86_400_000L : 86_400_000_000L);
                assertThat(inf.get("t0")).as(as).isEqualTo(86_400_000L);
            }
            default -> {
                assertThat(inf.get("t")).as(as).isEqualTo("24:00:00");
                assertThat(inf.get("t0")).as(as).isEqualTo("24:00:00");
                assertThat(y9999.get("t"))
                        .as(as)
                        .isEqualTo(capture.timeMode().equals("connect") ? "23:59:59.999" : "23:59:59.999999");
                assertThat(min.get("t"))
                        .as(as)
                        .isEqualTo(capture.timeMode().equals("connect") ? "00:00:00" : "00:00:00.000001");
            }
        }
        assertThat(inf.get("ttz")).as(as).isEqualTo("00:00:00Z");
        assertThat(inf.get("tstz")).as(as).isEqualTo("infinity");
        assertThat(rows.get(prefix + "minus-inf").get("tstz")).as(as).isEqualTo("-infinity");
        assertThat(rows.get(prefix + "bc").get("tstz")).as(as).isEqualTo("-0043-03-15T12:00:00.000000Z");
        if (capture.form() != Form.JSON_PLAIN && !capture.timeMode().equals("isostring")) {
            assertThat(inf.get("ts")).as(as).isEqualTo("infinity");
            assertThat(inf.get("ts0")).as(as).isEqualTo("infinity");
            assertThat(rows.get(prefix + "minus-inf").get("ts")).as(as).isEqualTo("-infinity");
            assertThat(y9999.get("ts"))
                    .as(as)
                    .isEqualTo(
                            capture.timeMode().equals("connect")
                                    ? "9999-12-31T23:59:59.999Z"
                                    : capture.timeMode().equals("nanoseconds") ? null : "9999-12-31T23:59:59.999999");
        }
    }

    /** {@code date 'infinity'} and BC dates: the same in snapshot and stream except where Debezium's snapshot loses the era. */
    private static void expectDates(Capture capture, Map<String, Map<String, Object>> rows) {
        if (capture.form() == Form.JSON_PLAIN || capture.timeMode().equals("isostring")) {
            return;
        }
        for (String prefix : List.of("", "s-")) {
            assertThat(rows.get(prefix + "inf").get("d")).as(capture.name()).isEqualTo("infinity");
            assertThat(rows.get(prefix + "minus-inf").get("d"))
                    .as(capture.name())
                    .isEqualTo("-infinity");
            assertThat(rows.get(prefix + "y9999").get("d")).as(capture.name()).isEqualTo("9999-12-31");
            assertThat(rows.get(prefix + "max").get("d")).as(capture.name()).isEqualTo("+5874897-12-31");
        }
        assertThat(rows.get("s-bc").get("d")).as(capture.name() + " streamed").isEqualTo("-0043-03-15");
        assertThat(rows.get("bc").get("d"))
                .as(capture.name() + " snapshot (Debezium drops the era)")
                .isEqualTo("0044-03-15");
        assertThat(rows.get("s-min").get("d")).as(capture.name() + " streamed").isEqualTo("-4712-01-01");
    }

    /** NaN and the infinities, extreme doubles and reals, and numerics of 1000 and 147455 digits. */
    private static void expectNumbers(
            Capture capture, Map<String, Map<String, Object>> rows, String prefix, String as) {
        Map<String, Object> inf = rows.get(prefix + "inf");
        Map<String, Object> bc = rows.get(prefix + "bc");
        Map<String, Object> min = rows.get(prefix + "min");
        Map<String, Object> max = rows.get(prefix + "max");
        String thousandNines = "9".repeat(1000);
        String widest = "9".repeat(131_072) + "." + "9".repeat(16_383);
        if (capture.form() == Form.JSON_PLAIN) {
            assertThat(inf.get("f8")).as(as).isEqualTo("NaN");
            assertThat(rows.get(prefix + "minus-inf").get("f8")).as(as).isEqualTo("Infinity");
            assertThat(bc.get("f8")).as(as).isEqualTo(new BigDecimal("1.7976931348623157E308").toPlainString());
        } else {
            assertThat(inf.get("f8")).as(as).isEqualTo(Double.NaN);
            assertThat(inf.get("f4")).as(as).isEqualTo(Double.NaN);
            assertThat(rows.get(prefix + "minus-inf").get("f8")).as(as).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(rows.get(prefix + "y9999").get("f4")).as(as).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(bc.get("f8")).as(as).isEqualTo(Double.MAX_VALUE);
            assertThat(bc.get("f4")).as(as).isEqualTo(3.4028235E38);
            assertThat(min.get("f8")).as(as).isEqualTo(Double.MIN_VALUE);
            assertThat(min.get("f4")).as(as).isEqualTo(1.4E-45);
        }
        switch (capture.decimalMode()) {
            case "precise" -> {
                assertThat(inf.get("n")).as(as).isNull();
                assertThat(inf.get("n2")).as(as).isNull();
                if (capture.form() != Form.JSON_PLAIN) {
                    assertThat(bc.get("n")).as(as).isEqualTo(thousandNines);
                    assertThat(min.get("n")).as(as).isEqualTo(new BigDecimal("1E-16383").toPlainString());
                    assertThat(max.get("n")).as(as).isEqualTo(widest);
                    assertThat(inf.get("m")).as(as).isEqualTo(new BigDecimal("92233720368547758.070000"));
                }
            }
            case "double" -> {
                assertThat(inf.get("n")).as(as).isIn(Double.NaN, "NaN");
                assertThat(rows.get(prefix + "minus-inf").get("n")).as(as).isIn(Double.POSITIVE_INFINITY, "Infinity");
                assertThat(max.get("n")).as(as).isIn(Double.POSITIVE_INFINITY, "Infinity");
            }
            case "string" -> {
                assertThat(inf.get("n")).as(as).isEqualTo("NAN");
                assertThat(rows.get(prefix + "minus-inf").get("n")).as(as).isEqualTo("POSITIVE_INFINITY");
                assertThat(bc.get("n")).as(as).isEqualTo(thousandNines);
                assertThat(max.get("n")).as(as).isEqualTo(widest);
                assertThat(inf.get("m")).as(as).isEqualTo("92233720368547758.07");
            }
            default -> throw new IllegalStateException(capture.decimalMode());
        }
    }

    /** Curated rows by source, then by label, once every source's topic holds all of them. */
    private Map<String, Map<String, Map<String, Object>>> awaitCurated() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        CuratedAvroReader reader = new CuratedAvroReader(registry);
        while (true) {
            Map<String, Map<String, Map<String, Object>>> bySource = new HashMap<>();
            boolean complete = true;
            for (Capture capture : CAPTURES) {
                Map<String, Map<String, Object>> byLabel = new HashMap<>();
                for (var record :
                        TopicContent.read(kafka.bootstrapServers(), List.of(capture.curated()), "read_committed")) {
                    Map<String, Object> row = reader.read(record.value());
                    byLabel.put(String.valueOf(row.get("label")), row);
                }
                bySource.put(capture.name(), byLabel);
                complete &= byLabel.size() >= 2 * ROW_COUNT;
            }
            if (complete) {
                return bySource;
            }
            assertThat(TopicContent.read(
                            kafka.bootstrapServers(),
                            List.of(SluiceConfig.DEFAULT_DEAD_LETTER_TOPIC),
                            "read_uncommitted"))
                    .as("dead letters")
                    .isEmpty();
            assertThat(System.nanoTime())
                    .as(
                            "curated rows: %s",
                            bySource.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue().size())
                                    .toList())
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private DebeziumEngine<?> engine(Capture capture) {
        Properties p = DebeziumPostgres.connector(postgres, capture.name(), "public.edge");
        p.setProperty("topic.prefix", capture.name());
        p.setProperty("time.precision.mode", capture.timeMode());
        p.setProperty("decimal.handling.mode", capture.decimalMode());
        AtomicInteger count = captured.get(capture.name());
        DebeziumEngine.CompletionCallback callback = (success, message, error) -> {
            if (!success && error != null) {
                engineErrors.add(error);
            }
        };
        if (capture.form() == Form.AVRO) {
            DebeziumPostgres.withApicurioAvro(p, apicurio);
            return DebeziumEngine.create(Avro.class)
                    .using(p)
                    .using(callback)
                    .notifying(event -> {
                        producer.send(new ProducerRecord<>(event.destination(), event.key(), event.value()));
                        count.incrementAndGet();
                    })
                    .build();
        }
        p.setProperty("converter.schemas.enable", String.valueOf(capture.form() == Form.JSON_SCHEMA));
        return DebeziumEngine.create(Json.class)
                .using(p)
                .using(callback)
                .notifying(event -> {
                    producer.send(new ProducerRecord<>(event.destination(), bytes(event.key()), bytes(event.value())));
                    count.incrementAndGet();
                })
                .build();
    }

    private void awaitCaptured(Capture capture, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (captured.get(capture.name()).get() < count) {
            assertThat(engineErrors).as("Debezium engine errors").isEmpty();
            assertThat(System.nanoTime())
                    .as("%d events from %s, got %s", count, capture.name(), captured.get(capture.name()))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
