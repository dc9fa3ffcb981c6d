package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Avro;
import io.debezium.engine.format.Json;
import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.sluice.serdes.registry.ConfluentWireFormat;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures the decoding fixtures of the serdes module from real components, on demand only
 * ({@code mvn -pl e2e verify -Dtest=DebeziumFixtureCapture -Dcapture.fixtures=true}): one SQL
 * script against a real PostgreSQL, seen by two Debezium engines at once on two replication slots,
 * one with the JSON converter (schemas enabled) and one with Apicurio's Avro converter against a
 * real Apicurio. Both see the same transactions at the same LSNs, so the serdes tests can require
 * the Avro decoding to equal the JSON one event for event. Avro records are stored as their schema
 * text and body (base64, without the 5-byte header) because registry ids are per registry.
 */
@EnabledIfSystemProperty(named = "capture.fixtures", matches = "true")
class DebeziumFixtureCapture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of(System.getProperty("capture.dir", "../serdes/src/test/resources/debezium"));
    private static final int EVENTS = 12;

    @TempDir
    Path dir;

    @Test
    void capture() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("wal_level", "logical")
                        .start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(dir.resolve("registry"))) {
            sql(
                    postgres,
                    "create table users (id serial primary key, email text not null, name text not null, city text,"
                            + " balance numeric(12,2) not null, birth_date date not null, created_at timestamptz not null, profile jsonb, ext_id uuid)",
                    "create table orders (id bigint primary key, user_id int not null, amount numeric(10,3) not null, status text not null,"
                            + " placed_at timestamp not null)",
                    "alter table orders replica identity full",
                    "insert into users(email, name, city, balance, birth_date, created_at, profile, ext_id) values ('kim@example.com', '김민준',"
                            + " '서울', 1234.50, '1990-03-01', '2024-05-01 09:30:00+09', '{\"tier\":\"gold\"}', '7b0c6f5e-1d2a-4c1e-9c4f-2b3c4d5e6f70')");
            List<ChangeEvent<String, String>> json = new CopyOnWriteArrayList<>();
            List<ChangeEvent<byte[], byte[]>> avro = new CopyOnWriteArrayList<>();
            ExecutorService engines = Executors.newFixedThreadPool(2);
            try (DebeziumEngine<ChangeEvent<String, String>> jsonEngine = DebeziumEngine.create(Json.class)
                            .using(properties(postgres, "json"))
                            .notifying((ChangeEvent<String, String> e) -> json.add(e))
                            .build();
                    DebeziumEngine<ChangeEvent<byte[], byte[]>> avroEngine = DebeziumEngine.create(Avro.class)
                            .using(avroProperties(postgres, registry))
                            .notifying((ChangeEvent<byte[], byte[]> e) -> avro.add(e))
                            .build()) {
                // One after the other: two snapshots at once wait on each other's locks.
                engines.execute(jsonEngine);
                awaitCount(json, 1);
                engines.execute(avroEngine);
                awaitCount(avro, 1);
                sql(
                        postgres,
                        "insert into users(email, name, city, balance, birth_date, created_at) values ('lee@example.com', '이서연', null, 0.05,"
                                + " '2001-12-31', '2024-06-30 23:59:59.123456+00')",
                        "update users set city = '부산', balance = 99999.99 where id = 2",
                        "update users set city = '부산' where id = 2",
                        "delete from users where id = 2",
                        "begin; insert into users(email, name, balance, birth_date, created_at) values ('park@example.com', '박지후', 10,"
                                + " '1985-07-15', now()); insert into orders values (100, 3, 12.345, 'NEW', '2024-07-01 10:00:00');"
                                + " update orders set status = 'PAID' where id = 100; commit",
                        "delete from orders where id = 100",
                        "alter table users add column tier text default 'basic'",
                        "insert into users(email, name, balance, birth_date, created_at, tier) values ('choi@example.com', '최하은', -1.5,"
                                + " '1999-01-01', now(), 'vip')");
                awaitCount(json, EVENTS);
                awaitCount(avro, EVENTS);
            } finally {
                engines.shutdown();
                engines.awaitTermination(30, TimeUnit.SECONDS);
            }
            SchemaRegistry ids = SchemaRegistry.connect(RegistrySettings.of(registry.url()));
            try (BufferedWriter out =
                    Files.newBufferedWriter(OUT.resolve("postgres-pair-json.jsonl"), StandardCharsets.UTF_8)) {
                for (ChangeEvent<String, String> e : json) {
                    ObjectNode line = JSON.createObjectNode().put("topic", e.destination());
                    line.set("key", e.key() == null ? null : JSON.readTree(e.key()));
                    line.set("value", e.value() == null ? null : JSON.readTree(e.value()));
                    out.write(line.toString());
                    out.newLine();
                }
            }
            try (BufferedWriter out =
                    Files.newBufferedWriter(OUT.resolve("postgres-pair-avro.jsonl"), StandardCharsets.UTF_8)) {
                for (ChangeEvent<byte[], byte[]> e : avro) {
                    ObjectNode line =
                            JSON.createObjectNode().put("topic", e.destination().replaceFirst("^shopavro\\.", "shop."));
                    framed(line, "key", e.key(), ids);
                    framed(line, "value", e.value(), ids);
                    out.write(line.toString());
                    out.newLine();
                }
            }
            assertThat(json).hasSameSizeAs(avro);
        }
    }

    private static void framed(ObjectNode line, String field, byte[] bytes, SchemaRegistry ids) {
        if (bytes == null) {
            line.putNull(field);
            return;
        }
        line.put(
                field + "Schema",
                ids.schemaById(ConfluentWireFormat.schemaId(bytes)).toString());
        line.put(
                field,
                Base64.getEncoder()
                        .encodeToString(Arrays.copyOfRange(bytes, ConfluentWireFormat.HEADER_LENGTH, bytes.length)));
    }

    private static Properties properties(EmbeddedPostgres postgres, String name) {
        Properties p = DebeziumPostgres.connector(postgres, "capture-" + name, "public.users,public.orders");
        p.setProperty("converter.schemas.enable", "true");
        return p;
    }

    private static Properties avroProperties(EmbeddedPostgres postgres, EmbeddedSchemaRegistry registry) {
        Properties p = DebeziumPostgres.withApicurioAvro(properties(postgres, "avro"), registry);
        // Another prefix: two engines with one name collide on their JMX metrics and the second never streams.
        p.setProperty("topic.prefix", "shopavro");
        return p;
    }

    private static void awaitCount(List<?> events, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (events.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " events, got " + events.size());
            }
            Thread.sleep(100);
        }
    }

    private static void sql(EmbeddedPostgres postgres, String... statements) throws Exception {
        DebeziumPostgres.sql(postgres, statements);
    }
}
