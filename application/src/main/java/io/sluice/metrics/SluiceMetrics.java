package io.sluice.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.sinks.LakeMetrics;
import io.sluice.topology.TopologyMetrics;

/**
 * The process's meters, all under {@code sluice_*}: the topology's, the lake's, Kafka Streams' own and the JVM's, in
 * one registry.
 */
public final class SluiceMetrics {
    private final MeterRegistry registry;
    private final TopologyMetrics topology;
    private final LakeMetrics lake;

    /** Meters registered in the given registry. */
    public SluiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.topology = new TopologyMetrics(registry);
        this.lake = new LakeMetrics(registry);
    }

    /** The topology's meters. */
    public TopologyMetrics topology() {
        return topology;
    }

    /** The lake sink's and the compactor's meters. */
    public LakeMetrics lake() {
        return lake;
    }

    /** The registry, for exporters and summaries. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Binds Kafka Streams' own metrics and Sluice's view of it: whether it is RUNNING, and how
     * much state is still to restore.
     */
    public void bindStreams(org.apache.kafka.streams.KafkaStreams streams, io.sluice.ops.RestoreProgress restore) {
        new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams).bindTo(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "sluice.streams.running",
                        streams,
                        s -> s.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING, 0 while starting, rebalancing, restoring or failed")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "sluice.restore.remaining", restore, io.sluice.ops.RestoreProgress::remainingRecords)
                .description("Changelog records still to restore")
                .baseUnit("records")
                .register(registry);
    }

    /** A Prometheus registry with the JVM and process meters every operator expects. */
    public static io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheusWithJvm() {
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** The sum of a counter over all its tag values matching the given tags. */
    public double total(String name, String... tags) {
        return topology.total(name, tags);
    }
}
