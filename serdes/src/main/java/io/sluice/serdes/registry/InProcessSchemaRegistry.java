package io.sluice.serdes.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry inside this JVM, for {@code mock://<scope>} URLs: topology tests and single-JVM runs that
 * need no registry server. It keeps Confluent's semantics where Sluice depends on them: global ids,
 * idempotent registration, versions per subject, BACKWARD compatibility checked against the latest
 * version, and the same error codes. Nothing is persisted.
 */
public final class InProcessSchemaRegistry implements SchemaRegistry {
    private static final Map<String, Store> SCOPES = new ConcurrentHashMap<>();

    private final Store store;
    private final RegistrySettings settings;

    private InProcessSchemaRegistry(Store store, RegistrySettings settings) {
        this.store = store;
        this.settings = settings;
    }

    static InProcessSchemaRegistry scope(String name, RegistrySettings settings) {
        return new InProcessSchemaRegistry(SCOPES.computeIfAbsent(name, n -> new Store()), settings);
    }

    /** Forgets every schema of a scope (between tests). */
    public static void dropScope(String name) {
        SCOPES.remove(name);
    }

    @Override
    public RegistrySettings settings() {
        return settings;
    }

    @Override
    public int register(String subject, Schema schema) {
        return store.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return store.lookup(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        return store.byId(id);
    }

    @Override
    public SchemaRegistryClient.RegisteredSchema latest(String subject) {
        return store.latest(subject);
    }

    @Override
    public void forgetLatest(String subject) {
        // nothing cached
    }

    /** The schemas of one scope. */
    static final class Store {
        private final List<Schema> byId = new ArrayList<>();
        private final Map<String, List<Integer>> versions = new LinkedHashMap<>();

        synchronized int register(String subject, Schema schema) {
            Integer existing = find(subject, schema);
            if (existing != null) {
                return existing;
            }
            List<Integer> ids = versions.computeIfAbsent(subject, s -> new ArrayList<>());
            if (!ids.isEmpty()) {
                Schema latest = byId.get(ids.get(ids.size() - 1) - 1);
                var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest)
                        .getType();
                if (result != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new SchemaRegistryException(
                            409,
                            SchemaRegistryException.INCOMPATIBLE,
                            "schema is incompatible with the latest version of " + subject + " (BACKWARD)");
                }
            }
            int id = indexOf(schema);
            if (id == 0) {
                byId.add(schema);
                id = byId.size();
            }
            ids.add(id);
            return id;
        }

        synchronized int lookup(String subject, Schema schema) {
            if (!versions.containsKey(subject)) {
                throw new SchemaRegistryException(
                        404, SchemaRegistryException.SUBJECT_NOT_FOUND, "subject not found: " + subject);
            }
            Integer id = find(subject, schema);
            if (id == null) {
                throw new SchemaRegistryException(
                        404, SchemaRegistryException.SCHEMA_NOT_FOUND, "schema not found under " + subject);
            }
            return id;
        }

        synchronized Schema byId(int id) {
            if (id < 1 || id > byId.size()) {
                throw new SchemaRegistryException(
                        404, SchemaRegistryException.SCHEMA_NOT_FOUND, "schema not found: id " + id);
            }
            return byId.get(id - 1);
        }

        synchronized SchemaRegistryClient.RegisteredSchema latest(String subject) {
            List<Integer> ids = versions.get(subject);
            if (ids == null || ids.isEmpty()) {
                throw new SchemaRegistryException(
                        404, SchemaRegistryException.SUBJECT_NOT_FOUND, "subject not found: " + subject);
            }
            int id = ids.get(ids.size() - 1);
            return new SchemaRegistryClient.RegisteredSchema(id, ids.size(), byId.get(id - 1));
        }

        private Integer find(String subject, Schema schema) {
            for (int id : versions.getOrDefault(subject, List.of())) {
                if (byId.get(id - 1).equals(schema)) {
                    return id;
                }
            }
            return null;
        }

        private int indexOf(Schema schema) {
            int i = byId.indexOf(schema);
            return i < 0 ? 0 : i + 1;
        }
    }
}
