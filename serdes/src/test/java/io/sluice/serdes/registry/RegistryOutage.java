package io.sluice.serdes.registry;

import org.apache.avro.Schema;

/**
 * A registry that can be taken down, for every subject or only for subjects with a prefix (a
 * curated, dimension or aggregate topic), and brought back; or that refuses schemas as incompatible.
 */
public final class RegistryOutage implements SchemaRegistry {
    private final SchemaRegistry delegate;
    private volatile String downFor;
    private volatile String refusing;
    private volatile int blips;
    private volatile int failedCalls;

    public RegistryOutage(SchemaRegistry delegate) {
        this.delegate = delegate;
    }

    /** Unreachable for subjects starting with the prefix ("" for all, schema lookups by id too). */
    public RegistryOutage down(String subjectPrefix) {
        downFor = subjectPrefix;
        return this;
    }

    /** Unreachable for the next {@code calls} calls of any kind, then back by itself. */
    public RegistryOutage blip(int calls) {
        blips = calls;
        return this;
    }

    /** Refuses new schema versions under subjects starting with the prefix, as incompatible. */
    public RegistryOutage refusing(String subjectPrefix) {
        refusing = subjectPrefix;
        return this;
    }

    public RegistryOutage up() {
        downFor = null;
        refusing = null;
        return this;
    }

    /** Calls that failed because the registry was down. */
    public int failedCalls() {
        return failedCalls;
    }

    @Override
    public RegistrySettings settings() {
        return delegate.settings();
    }

    @Override
    public int register(String subject, Schema schema) {
        failIfDown(subject);
        if (refusing != null && subject.startsWith(refusing)) {
            throw new SchemaRegistryException(
                    409,
                    SchemaRegistryException.INCOMPATIBLE,
                    "schema is incompatible with the subject's earlier versions");
        }
        return delegate.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        failIfDown(subject);
        return delegate.lookup(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        if ("".equals(downFor) || blips > 0) {
            failIfDown("");
        }
        return delegate.schemaById(id);
    }

    @Override
    public SchemaRegistryClient.RegisteredSchema latest(String subject) {
        failIfDown(subject);
        return delegate.latest(subject);
    }

    @Override
    public void forgetLatest(String subject) {
        delegate.forgetLatest(subject);
    }

    private void failIfDown(String subject) {
        if (blips > 0 || (downFor != null && subject.startsWith(downFor))) {
            blips = Math.max(0, blips - 1);
            failedCalls++;
            throw new SchemaRegistryException(
                    -1,
                    SchemaRegistryException.UNAVAILABLE,
                    "schema registry mock://outage is unreachable: ConnectException");
        }
    }
}
