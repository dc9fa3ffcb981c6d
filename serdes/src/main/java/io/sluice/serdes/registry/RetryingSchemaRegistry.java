package io.sluice.serdes.registry;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * A registry whose calls are tried again, with backoff, when they fail for a retriable reason (the
 * registry unreachable, failing or throttling); what is still failing after the last try reaches the
 * caller as the retriable {@link SchemaRegistryException}, for the caller to fail its task (Kafka
 * Streams) or wait (the lake sink) — never to dead-letter the record. A listener hears of every
 * failed try and of the registry answering again, for readiness and metrics.
 */
public final class RetryingSchemaRegistry implements SchemaRegistry {
    private final SchemaRegistry delegate;
    private final RegistryRetry retry;
    private final Listener listener;
    // Read on every call: set by a failure, cleared by the next answer, so the listener hears each change once.
    private volatile boolean failing;

    /** Hears how the registry is doing; called on the thread that made the call. */
    public interface Listener {
        /** A try failed for a retriable reason and another follows. */
        void retrying(SchemaRegistryException failure);

        /** The last try failed for a retriable reason: the failure goes to the caller. */
        void gaveUp(SchemaRegistryException failure);

        /** The registry answered again after failing. */
        void recovered();
    }

    private RetryingSchemaRegistry(SchemaRegistry delegate, RegistryRetry retry, Listener listener) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The registry with retries; one already retrying is not wrapped twice. */
    public static SchemaRegistry wrap(SchemaRegistry registry, RegistryRetry retry, Listener listener) {
        return registry instanceof RetryingSchemaRegistry
                ? registry
                : new RetryingSchemaRegistry(registry, retry, listener);
    }

    @Override
    public RegistrySettings settings() {
        return delegate.settings();
    }

    @Override
    public int register(String subject, Schema schema) {
        return call(() -> delegate.register(subject, schema));
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return call(() -> delegate.lookup(subject, schema));
    }

    @Override
    public Schema schemaById(int id) {
        return call(() -> delegate.schemaById(id));
    }

    @Override
    public SchemaRegistryClient.RegisteredSchema latest(String subject) {
        return call(() -> delegate.latest(subject));
    }

    @Override
    public void forgetLatest(String subject) {
        delegate.forgetLatest(subject);
    }

    private <T> T call(Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                T answer = request.get();
                answered();
                return answer;
            } catch (SchemaRegistryException e) {
                if (!e.isRetriable()) {
                    answered(); // the registry answered: it is up, the request is what it refused
                    throw e;
                }
                failing = true;
                if (attempt >= retry.attempts()) {
                    listener.gaveUp(e);
                    throw e;
                }
                listener.retrying(e);
                sleep(retry.delayAfter(attempt).toMillis(), e);
            }
        }
    }

    private void answered() {
        if (failing) {
            failing = false;
            listener.recovered();
        }
    }

    private static void sleep(long millis, SchemaRegistryException failure) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // Shutting down: stop retrying and keep the interrupt for the caller's loop.
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
