package io.sluice.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store whose values may be handed over as suppliers and encoded only when Kafka Streams flushes it, which
 * it does before every commit: a value that changes with every record is encoded once per commit instead of once per
 * record, and what the commit covers is in the changelog all the same. Reads and scans see the deferred values.
 *
 * <p>The hook is Kafka Streams' cache flush ({@code flushCache}, called on every store before a task commits, under
 * exactly-once before its transaction's offsets); the store beneath is an ordinary changelogged store.
 */
final class DeferredWrites extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    private final Map<Bytes, Supplier<byte[]>> deferred = new LinkedHashMap<>();

    private DeferredWrites(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** A builder of this store over the store the given builder builds (its name, logging and caching kept). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> over(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner) {
        return new Builder(inner);
    }

    /** The store under a processor's handle to it (Kafka Streams hands processors a decorator). */
    static DeferredWrites of(StateStore handle) {
        StateStore store = handle;
        while (!(store instanceof DeferredWrites) && store instanceof WrappedStateStore<?, ?, ?> wrapped) {
            store = wrapped.wrapped();
        }
        if (!(store instanceof DeferredWrites deferredWrites)) {
            throw new IllegalStateException("store " + handle.name() + " was not built by DeferredWrites.over");
        }
        return deferredWrites;
    }

    /** Sets the key's value to what the supplier gives when the store is next flushed, read or scanned. */
    void defer(Bytes key, Supplier<byte[]> value) {
        deferred.put(key, value);
    }

    @Override
    public void flushCache() {
        writeDeferred();
        super.flushCache();
    }

    private void writeDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        deferred.forEach((key, value) -> wrapped().put(key, value.get()));
        deferred.clear();
    }

    @Override
    public void put(Bytes key, byte[] value) {
        deferred.remove(key);
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        writeDeferred();
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> deferred.remove(e.key));
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        Supplier<byte[]> pending = deferred.remove(key);
        byte[] old = wrapped().delete(key);
        return pending != null ? pending.get() : old;
    }

    @Override
    public byte[] get(Bytes key) {
        Supplier<byte[]> pending = deferred.get(key);
        return pending != null ? pending.get() : wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        writeDeferred();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        writeDeferred();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        writeDeferred();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        writeDeferred();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P>
            KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        writeDeferred();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + deferred.size();
    }

    @Override
    public void close() {
        deferred.clear(); // a close after a commit has nothing deferred; after a failure, the changelog is the truth
        super.close();
    }

    private record Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner)
            implements StoreBuilder<KeyValueStore<Bytes, byte[]>> {
        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
            return new Builder(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
            return new Builder(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<Bytes, byte[]> build() {
            return new DeferredWrites(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
