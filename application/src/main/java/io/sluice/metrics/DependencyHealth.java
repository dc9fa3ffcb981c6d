package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.serdes.registry.RetryingSchemaRegistry;
import io.sluice.serdes.registry.SchemaRegistryException;
import io.sluice.sinks.LakeSink;
import io.sluice.topology.TransientFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether each dependency Sluice cannot work without (the schema registry, the Kafka cluster) is
 * answering, as readiness reports it and {@code sluice_dependency_up{dependency}} shows it, with every
 * failure counted in {@code sluice_dependency_failures_total{dependency,outcome}}: {@code retried}
 * (tried again within the task), {@code gave-up} (the task failed, or the lake sink waits, to read
 * the record again later).
 */
public final class DependencyHealth {
    /** The schema registry, as dependencies are named in metrics and readiness. */
    public static final String SCHEMA_REGISTRY = TransientFailure.SCHEMA_REGISTRY;
    /** The Kafka cluster, as dependencies are named in metrics and readiness. */
    public static final String KAFKA = TransientFailure.KAFKA;
    /** Outcome of a failed try that is tried again at once, with backoff. */
    public static final String RETRIED = "retried";
    /** Outcome of a failure after the last try: the task fails, or the lake sink waits. */
    public static final String GAVE_UP = "gave-up";

    private final MeterRegistry registry;
    private final Map<String, AtomicBoolean> up = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    /** Both dependencies up, their gauges registered. */
    public DependencyHealth(MeterRegistry registry) {
        this.registry = registry;
        List.of(SCHEMA_REGISTRY, KAFKA).forEach(this::state);
    }

    /** A dependency failed; {@code outcome} says what happens next ({@link #RETRIED}, {@link #GAVE_UP}). */
    public void failed(String dependency, String outcome) {
        state(dependency).set(false);
        failures.computeIfAbsent(
                        dependency + '\0' + outcome,
                        k -> Counter.builder("sluice.dependency.failures")
                                .description(
                                        "Failures of a dependency (schema registry, Kafka): retried within the task, or given up (the task fails and "
                                                + "the record is processed again after restart; the lake sink waits)")
                                .tags("dependency", dependency, "outcome", outcome)
                                .register(registry))
                .increment();
    }

    /** A dependency answered again. */
    public void recovered(String dependency) {
        state(dependency).set(true);
    }

    /** The dependencies that are failing now, in name order: empty when all are up. */
    public List<String> degraded() {
        return up.entrySet().stream()
                .filter(e -> !e.getValue().get())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** The lake sink's reports on the cluster's commits, kept here as the Kafka dependency's state. */
    public LakeSink.ClusterStatus clusterStatus() {
        return new LakeSink.ClusterStatus() {
            @Override
            public void failing() {
                failed(KAFKA, GAVE_UP);
            }

            @Override
            public void recovered() {
                DependencyHealth.this.recovered(KAFKA);
            }
        };
    }

    /** The listener that keeps the schema registry's state here. */
    public RetryingSchemaRegistry.Listener registryListener() {
        return new RetryingSchemaRegistry.Listener() {
            @Override
            public void retrying(SchemaRegistryException failure) {
                failed(SCHEMA_REGISTRY, RETRIED);
            }

            @Override
            public void gaveUp(SchemaRegistryException failure) {
                failed(SCHEMA_REGISTRY, GAVE_UP);
            }

            @Override
            public void recovered() {
                DependencyHealth.this.recovered(SCHEMA_REGISTRY);
            }
        };
    }

    private AtomicBoolean state(String dependency) {
        return up.computeIfAbsent(dependency, d -> {
            AtomicBoolean state = new AtomicBoolean(true);
            Gauge.builder("sluice.dependency.up", state, s -> s.get() ? 1 : 0)
                    .description("1 while a dependency (schema registry, Kafka) answers, 0 while it is failing")
                    .tag("dependency", d)
                    .register(registry);
            return state;
        });
    }
}
