package io.sluice.topology;

import io.sluice.serdes.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a dependency that is down — worth reading the same record again once it is back — from a
 * defect or a record that can never succeed. A transient failure fails the task (exactly-once then
 * reprocesses the record); it is never dead-lettered.
 */
public final class TransientFailure {
    /** The schema registry, as dependencies are named in metrics and readiness. */
    public static final String SCHEMA_REGISTRY = "schema-registry";
    /** The Kafka cluster, as dependencies are named in metrics and readiness. */
    public static final String KAFKA = "kafka";

    private TransientFailure() {}

    /** The dependency a failure (or any of its causes) says is down, or null when it is not a transient failure. */
    public static String dependencyOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.isRetriable()) {
                return SCHEMA_REGISTRY;
            }
            if (t instanceof RetriableException) {
                return KAFKA;
            }
        }
        return null;
    }

    /** Whether a failure is transient: a dependency is down, not the record at fault. */
    public static boolean isTransient(Throwable failure) {
        return dependencyOf(failure) != null;
    }
}
