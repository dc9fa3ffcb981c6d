package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.ConfigLoader;
import io.sluice.config.HttpSettings;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.ops.BearerToken;
import io.sluice.ops.DimensionQueries;
import io.sluice.ops.HttpListener;
import io.sluice.runtime.SluicePipeline;
import io.sluice.runtime.TopicProvisioner;
import io.sluice.serdes.avro.CuratedAvroReader;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.sinks.LakeFileSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * Real CDC: a real PostgreSQL (wal_level=logical) and Debezium's PostgreSQL connector, embedded,
 * writing its change events (decimals precise) into the real broker in one converter's form; Sluice
 * curates them. The test drives SQL and asserts on the curated topic. Subclasses pick the converter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PostgresCdcEndToEnd {
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "%s", application.id: cdc-e2e, commit.interval.ms: 200 }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users], format: %s }
            pii:
              key: { file: "%s" }
              rules:
                - { table: users, column: id, action: keep }
                - { table: users, column: email, action: hash }
                - { table: users, column: city, action: keep }
                - { table: users, column: balance, action: keep }
                - { table: users, column: birth_date, action: generalize, to: year }
            dimensions:
              - { source: shop, table: users, key: [id], trackExcept: [balance] }
            lake: { uri: "%s", flush: { interval: 1s }%s }
            schemaRegistry: { url: "%s" }
            """;

    @TempDir
    static Path dir;

    EmbeddedKafka kafka;
    EmbeddedPostgres postgres;
    DebeziumEngine<?> engine;
    ExecutorService engineThread;
    SluicePipeline pipeline;
    SchemaRegistry registry;
    SluiceConfig config;
    HttpListener ops;
    /** The /dimensions listener's bearer token. */
    static final String TOKEN = "cdc-e2e-dimensions-token-0123456789";

    final List<Throwable> engineErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .ensure(
                            List.of("shop.public.users"),
                            new TopicSettings(Optional.of(1), Optional.empty()),
                            Map.of());
        }
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .start();
        sql(
                "create table users (id serial primary key, email text not null, name text not null, city text,"
                        + " balance numeric(12,2) not null, birth_date date not null)",
                "insert into users(email, name, city, balance, birth_date) values ('kim@example.com', '김민준', '서울', 1234.50, '1990-03-01')");

        Path key = dir.resolve("key");
        Files.writeString(key, "cdc-e2e-secret-0123456789-0123456789");
        SluiceConfig config = ConfigLoader.parse(CONFIG.formatted(
                kafka.bootstrapServers(),
                format(),
                key,
                dir.resolve("lake"),
                iceberg() ? ", format: iceberg" : "",
                sluiceRegistryUrl()));
        registry = config.schemaRegistry().connect(Map.of());
        pipeline = SluicePipeline.start(
                config,
                config.pii().toPolicy(Map.of()),
                new SluiceMetrics(new SimpleMeterRegistry()),
                registry,
                dir.resolve("state"),
                Map.of());
        this.config = config;
        HttpSettings http = new HttpSettings(
                false,
                "127.0.0.1",
                0,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                new HttpSettings.DimensionsListener(true, "127.0.0.1", 0, null));
        ops = new DimensionQueries(
                        config.dimensions(),
                        () -> pipeline.streams(),
                        null,
                        BearerToken.of("http.dimensions.token", TOKEN),
                        http.requestTimeout())
                .serve(http, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

        engine = engine(
                DebeziumPostgres.connector(postgres, "sluice-cdc-e2e", "public.users"), (success, message, error) -> {
                    if (!success && error != null) {
                        engineErrors.add(error);
                    }
                });
        engineThread = Executors.newSingleThreadExecutor();
        engineThread.execute(engine);
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
            engineThread.shutdown();
            engineThread.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (ops != null) {
            ops.close();
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
        stopRegistry();
    }

    /** The source's {@code format}: json or avro. */
    abstract String format();

    /** Whether the lake is Apache Iceberg tables (a Hadoop catalog in the lake) rather than the Hive layout. */
    boolean iceberg() {
        return false;
    }

    /** The registry URL Sluice is configured with. */
    abstract String sluiceRegistryUrl();

    /** Stops whatever registry the subclass started. */
    abstract void stopRegistry();

    /** The Debezium engine, writing to the broker in the subclass's converter form. */
    abstract DebeziumEngine<?> engine(Properties properties, DebeziumEngine.CompletionCallback callback)
            throws Exception;

    /** A producer of bytes to the test's broker. */
    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Test
    @Order(1)
    void curatesSnapshotInsertUpdateAndDeleteFromARealDatabase() throws Exception {
        List<JsonNode> snapshot = awaitCurated(1);
        assertThat(snapshot.get(0).get("__op").asText()).isEqualTo("r");

        sql(
                "insert into users(email, name, city, balance, birth_date) values ('lee@example.com', '이서연', null, 0.05, '2001-12-31')",
                "update users set city = '부산', balance = 99999.99 where email = 'lee@example.com'",
                "delete from users where email = 'lee@example.com'");
        List<JsonNode> rows = awaitCurated(4);

        assertThat(rows).extracting(r -> r.get("__op").asText()).containsExactly("r", "c", "u", "d");
        JsonNode first = rows.get(0);
        assertThat(first.get("city").asText()).isEqualTo("서울");
        assertThat(first.get("balance").decimalValue()).isEqualByComparingTo("1234.50");
        assertThat(first.get("birth_date").asLong())
                .as("generalized to the year")
                .isEqualTo(1990L);
        assertThat(first.get("email").asText()).startsWith("k1:");
        assertThat(first.has("name")).as("no rule: dropped").isFalse();
        assertThat(first.get("__source_seq").asText()).startsWith("pg:");
        assertThat(rows.get(2).get("city").asText()).isEqualTo("부산");
        assertThat(rows.get(2).get("balance").decimalValue()).isEqualByComparingTo("99999.99");
        assertThat(rows.get(3).get("__deleted").asBoolean()).isTrue();
        String all = rows.toString();
        assertThat(all).doesNotContain("example.com", "김민준", "이서연");
        assertThat(engineErrors).isEmpty();
    }

    @Test
    @Order(2)
    void keepsTheHistoryOfARowInTopicLakeAndAsOfQueries() throws Exception {
        sql(
                "insert into users(email, name, city, balance, birth_date) values ('han@example.com', '한지민', 'Seoul', 1, '1991-02-03')");
        long id = ((Number) query("select id from users where email = 'han@example.com'")
                        .get(0))
                .longValue();
        // Separate statements, a few milliseconds apart so that commit times differ (versions are never zero-length
        // here).
        for (String statement : List.of(
                "update users set city = 'Busan' where email = 'han@example.com'",
                "update users set balance = 2 where email = 'han@example.com'",
                "update users set city = 'Daegu' where email = 'han@example.com'",
                "delete from users where email = 'han@example.com'")) {
            Thread.sleep(20);
            sql(statement);
        }
        List<JsonNode> changes = awaitChanges(id, 5);
        long insert = changes.get(0).get("__event_time").asLong();
        long busan = changes.get(1).get("__event_time").asLong();
        long balance = changes.get(2).get("__event_time").asLong();
        long daegu = changes.get(3).get("__event_time").asLong();
        long deleted = changes.get(4).get("__event_time").asLong();

        // The history the SQL script implies: three versions (the balance update is untracked), the last closed by the
        // delete.
        List<JsonNode> history = awaitHistory(id, 3);
        assertThat(history).extracting(v -> v.get("city").asText()).containsExactly("Seoul", "Busan", "Daegu");
        assertThat(history).extracting(v -> v.get("valid_from").asLong()).containsExactly(insert, busan, daegu);
        assertThat(history).extracting(v -> v.get("valid_to").asLong()).containsExactly(busan, daegu, deleted);
        assertThat(history).extracting(v -> v.get("is_current").asBoolean()).containsOnly(false);
        assertThat(history).extracting(v -> v.get("email").asText()).allMatch(e -> e.startsWith("k1:"));

        assertThat(asOf(id, insert - 1).statusCode())
                .as("before the first version")
                .isEqualTo(404);
        assertThat(city(asOf(id, insert))).as("at the first version's start").isEqualTo("Seoul");
        assertThat(city(asOf(id, busan - 1))).as("inside the first interval").isEqualTo("Seoul");
        assertThat(city(asOf(id, busan)))
                .as("on the boundary: the newer version")
                .isEqualTo("Busan");
        assertThat(city(asOf(id, balance)))
                .as("an untracked change opens no version")
                .isEqualTo("Busan");
        assertThat(city(asOf(id, deleted - 1))).isEqualTo("Daegu");
        assertThat(asOf(id, deleted).statusCode()).as("after the delete").isEqualTo(404);

        // The lake table holds the same versions, one row each (the last per scd_id, as a compacted topic ends up).
        pipeline.awaitIdle(Duration.ofSeconds(60));
        config.lake().compactor(LakeFileSystem.open(config.lake().uri())).compact(hour -> true);
        List<List<Object>> lakeVersions =
                lakeRows("dim_users_history", "id = " + id + " ORDER BY valid_from", "city", "valid_from", "valid_to");
        assertThat(lakeVersions)
                .containsExactly(
                        List.of("Seoul", insert, busan),
                        List.of("Busan", busan, daegu),
                        List.of("Daegu", daegu, deleted));
    }

    /**
     * With Iceberg: after inserts, updates, deletes and a key inserted again, the current-state table equals the
     * database's final state, masked alike.
     */
    void assertCurrentTableEqualsTheDatabaseAfterInsertsUpdatesDeletesAndAReinsertedKey() throws Exception {
        sql(
                "insert into users(email, name, city, balance, birth_date) values ('park@example.com', '박', 'Jeju', 7, '1980-01-01')",
                "update users set balance = 8.25 where email = 'park@example.com'",
                "update users set city = 'Suwon' where email = 'kim@example.com'",
                "insert into users(id, email, name, city, balance, birth_date) values (2, 'back@example.com', '이', 'Gwangju', 3, '1999-09-09')",
                "delete from users where email = 'park@example.com'",
                "insert into users(email, name, city, balance, birth_date) values ('choi@example.com', '최', null, 0, '2000-02-02')");
        io.sluice.pii.MaskingPolicy policy = config.pii().toPolicy(Map.of());
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : rows("select id, email, city, balance from users order by id")) {
            Map<String, Object> masked = policy.mask(
                    "shop",
                    "users",
                    new LinkedHashMap<>(Map.of("email", row.get(1))),
                    io.sluice.pii.MaskingObserver.NONE);
            expected.add(java.util.Arrays.asList(
                    ((Number) row.get(0)).longValue(),
                    masked.get("email"),
                    row.get(2),
                    ((java.math.BigDecimal) row.get(3)).doubleValue()));
        }
        assertThat(expected)
                .as("the script's final state: kim, the re-inserted id 2, choi")
                .hasSize(3);

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<List<Object>> current;
        do {
            pipeline.awaitIdle(Duration.ofSeconds(60));
            config.lake().compactor(LakeFileSystem.open(config.lake().uri())).compact(hour -> true);
            current = lakeRows("shop_users_current", "ORDER BY id", "id", "email", "city", "balance");
        } while (!current.equals(expected) && System.nanoTime() < deadline);

        assertThat(current)
                .as(
                        "shop_users_current, read with Iceberg's generic reader, is the database's final state masked alike")
                .isEqualTo(expected);
    }

    /**
     * A lake table's rows as lists of the columns' values, filtered on {@code id = N} if the tail says so and ordered by
     * its {@code ORDER BY} column: DuckDB over the Hive layout, Iceberg's generic reader over Iceberg tables.
     */
    private List<List<Object>> lakeRows(String table, String tail, String... columns) throws Exception {
        if (!iceberg()) {
            DuckDbLake lake = new DuckDbLake(dir.resolve("lake"));
            return lake.query("SELECT " + String.join(", ", columns) + " FROM " + lake.table(table)
                    + (tail.startsWith("ORDER") ? " " : " WHERE ") + tail);
        }
        org.apache.iceberg.hadoop.HadoopCatalog catalog = new org.apache.iceberg.hadoop.HadoopCatalog(
                new org.apache.hadoop.conf.Configuration(),
                dir.resolve("lake/iceberg").toString());
        org.apache.iceberg.Table iceberg =
                catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("sluice", table));
        java.util.regex.Matcher idFilter =
                java.util.regex.Pattern.compile("id = (\\d+)").matcher(tail);
        Long onlyId = idFilter.find() ? Long.valueOf(idFilter.group(1)) : null;
        int sortBy = List.of(columns).indexOf(tail.substring(tail.indexOf("ORDER BY ") + 9));
        List<List<Object>> rows = new ArrayList<>();
        try (var records = org.apache.iceberg.data.IcebergGenerics.read(iceberg).build()) {
            for (org.apache.iceberg.data.Record r : records) {
                if (onlyId != null && !onlyId.equals(r.getField("id"))) {
                    continue;
                }
                List<Object> row = new ArrayList<>();
                for (String column : columns) {
                    Object value = r.getField(column);
                    row.add(value instanceof CharSequence text ? text.toString() : value);
                }
                rows.add(row);
            }
        }
        rows.sort(java.util.Comparator.comparing(r -> ((Number) r.get(sortBy)).longValue()));
        return rows;
    }

    private List<List<Object>> rows(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private List<JsonNode> awaitChanges(long id, int count) throws Exception {
        return awaitRows("curated.shop.users", id, count, false);
    }

    /** The last row per scd_id of one key, ordered by version. */
    private List<JsonNode> awaitHistory(long id, int count) throws Exception {
        return awaitRows("dim.users.history", id, count, true);
    }

    private List<JsonNode> awaitRows(String topic, long id, int count, boolean latestPerScdId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        CuratedAvroReader reader = new CuratedAvroReader(registry);
        while (true) {
            Map<String, JsonNode> rows = new LinkedHashMap<>();
            int n = 0;
            for (var record : TopicContent.read(kafka.bootstrapServers(), List.of(topic), "read_committed")) {
                if (record.value() == null) {
                    rows.remove(new String(record.key(), StandardCharsets.UTF_8));
                    continue;
                }
                JsonNode row = reader.readTree(record.value());
                if (row.get("id").asLong() == id) {
                    rows.put(latestPerScdId ? row.get("scd_id").asText() : String.valueOf(n++), row);
                }
            }
            List<JsonNode> found = new ArrayList<>(rows.values());
            if (latestPerScdId) {
                found.sort(
                        java.util.Comparator.comparingInt(r -> r.get("version").asInt()));
            }
            if (found.size() >= count
                    && (!latestPerScdId
                            || found.stream().noneMatch(r -> r.get("valid_to").isNull()))) {
                return found;
            }
            assertThat(System.nanoTime())
                    .as("%d rows of id %d in %s, found %s", count, id, topic, found.size())
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private HttpResponse<String> asOf(long id, long instantMs) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + "/dimensions/users/" + id
                                        + "?asOf=" + instantMs))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String city(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body())
                .get("city")
                .asText();
    }

    private List<Object> query(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return List.of(rs.getObject(1));
        }
    }

    private List<JsonNode> awaitCurated(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<JsonNode> rows = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            rows.clear();
            for (var record :
                    TopicContent.read(kafka.bootstrapServers(), List.of("curated.shop.users"), "read_committed")) {
                rows.add(new CuratedAvroReader(registry).readTree(record.value()));
            }
            if (rows.size() >= count) {
                return rows;
            }
            assertThat(engineErrors).as("Debezium engine errors").isEmpty();
            Thread.sleep(250);
        }
        throw new AssertionError("expected " + count + " curated rows, got " + rows.size());
    }

    private void sql(String... statements) throws Exception {
        DebeziumPostgres.sql(postgres, statements);
    }
}
