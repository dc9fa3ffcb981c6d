package io.sluice.serdes.registry;

import org.apache.avro.Schema;

/**
 * What Sluice needs of a Confluent-compatible schema registry. {@link SchemaRegistryClient} talks to
 * a real one over REST; {@code mock://<scope>} URLs get an {@link InProcessSchemaRegistry} shared by
 * everything in the JVM that names the same scope, as Confluent's serdes do for tests.
 */
public interface SchemaRegistry {
    /** URL prefix of in-process registries. */
    String MOCK_PREFIX = "mock://";

    /** The settings this registry is used with. */
    RegistrySettings settings();

    /** Registers a schema under a subject (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under a subject; not found is a {@link SchemaRegistryException}. */
    int lookup(String subject, Schema schema);

    /** The schema with a global id; an unknown id is a {@link SchemaRegistryException} with code 40403. */
    Schema schemaById(int id);

    /** The latest version registered under a subject; none is a {@link SchemaRegistryException} with code 40401. */
    SchemaRegistryClient.RegisteredSchema latest(String subject);

    /** Drops any cached latest version of a subject. */
    void forgetLatest(String subject);

    /** The registry for some settings: in-process for {@code mock://} URLs, else a REST client. */
    static SchemaRegistry connect(RegistrySettings settings) {
        if (settings.url().startsWith(MOCK_PREFIX)) {
            return InProcessSchemaRegistry.scope(settings.url().substring(MOCK_PREFIX.length()), settings);
        }
        return new SchemaRegistryClient(settings);
    }
}
