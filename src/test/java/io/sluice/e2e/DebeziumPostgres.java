package io.sluice.e2e;

import io.sluice.embedded.EmbeddedSchemaRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;

/** Debezium's PostgreSQL connector in embedded mode against a real (zonky) PostgreSQL: its settings, and SQL to drive it. */
final class DebeziumPostgres {

    private DebeziumPostgres() {}

    /**
     * The connector's settings: {@code pgoutput}, a filtered publication and a slot named after
     * {@code name} (dropped on stop), topic prefix {@code shop}, precise decimals, offsets in memory.
     */
    static Properties connector(EmbeddedPostgres postgres, String name, String tables) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("database.hostname", "localhost");
        p.setProperty("database.port", String.valueOf(postgres.getPort()));
        p.setProperty("database.user", "postgres");
        p.setProperty("database.password", "postgres");
        p.setProperty("database.dbname", "postgres");
        p.setProperty("topic.prefix", "shop");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", name.replace('-', '_'));
        p.setProperty("slot.drop.on.stop", "true");
        p.setProperty("publication.name", name.replace('-', '_') + "_pub");
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", tables);
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("decimal.handling.mode", "precise");
        return p;
    }

    /**
     * Switches the connector to Apicurio's Avro converter (what Debezium picks for Avro when given an
     * Apicurio URL), registering in a real Apicurio, with Confluent-compatible 4-byte ids in the payload.
     */
    static Properties withApicurioAvro(Properties connector, EmbeddedSchemaRegistry registry) {
        connector.setProperty(
                "converter.apicurio.registry.url", registry.url().replace("/apis/ccompat/v7", "/apis/registry/v2"));
        connector.setProperty("converter.apicurio.registry.auto-register", "true");
        connector.setProperty("converter.apicurio.registry.find-latest", "true");
        // Confluent's wire format: magic byte and a 4-byte id, which the ccompat API serves as the content id.
        connector.setProperty("converter.apicurio.registry.as-confluent", "true");
        connector.setProperty("converter.apicurio.registry.use-id", "contentId");
        connector.setProperty("converter.apicurio.registry.headers.enabled", "false");
        return connector;
    }

    /** Runs statements, each in its own transaction. */
    static void sql(EmbeddedPostgres postgres, String... statements) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
