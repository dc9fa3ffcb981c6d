package io.sluice.bench;

import io.sluice.config.SchemaRegistryConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.TopicSettings;
import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.UnlistedColumns;
import io.sluice.serdes.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration each ladder step runs with: the user's sources, topics, policy and Kafka
 * settings, with only the stages the step includes, its own application id, and the guarantee
 * the step measures.
 */
final class LadderConfigs {
    /**
     * At-least-once steps commit every second unless configured otherwise: Kafka's 30 s default
     * would only make each step wait longer for its committed lag to reach zero.
     */
    static final String AT_LEAST_ONCE_COMMIT_INTERVAL_MS = "1000";

    private static final MaskingPolicy KEEP_EVERYTHING = MaskingPolicy.of(List.of(), UnlistedColumns.KEEP, null);

    private LadderConfigs() {}

    /**
     * The configuration of a Kafka Streams step.
     *
     * @param bootstrap the embedded broker
     * @param registry  the registry the step writes schemas to (see {@link #registry})
     */
    static SluiceConfig forStep(LadderStep step, SluiceConfig base, String bootstrap, SchemaRegistryConfig registry) {
        Map<String, String> kafka = new HashMap<>(base.kafka());
        kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        kafka.put(StreamsConfig.APPLICATION_ID_CONFIG, step.applicationId());
        kafka.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                step.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        if (!step.exactlyOnce()) {
            kafka.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, AT_LEAST_ONCE_COMMIT_INTERVAL_MS);
        }
        // One broker: whatever replication the production topics have, here they have one replica.
        TopicSettings topics = new TopicSettings(
                base.topics().partitions(), Optional.empty(), base.topics().appendTimestamps());
        // A reference for a setting the step sets (bootstrap.servers from the environment, say) gives way to the step's
        // value.
        Map<String, io.sluice.config.SecretRef> references = new HashMap<>(base.kafkaReferences());
        references.keySet().removeAll(kafka.keySet());
        return new SluiceConfig(
                kafka,
                references,
                base.sources(),
                base.pii(),
                base.lake(),
                topics,
                base.http(),
                base.deadLetterTopic(),
                step.includes(LadderStep.DEDUP) ? base.dedup() : List.of(),
                step.includes(LadderStep.AGGREGATES_AND_DIMENSIONS) ? base.aggregates() : List.of(),
                registry,
                step.includes(LadderStep.AGGREGATES_AND_DIMENSIONS) ? base.dimensions() : List.of(),
                null);
    }

    /** The application id of the unmeasured warm-up run. */
    static final String WARM_UP_APPLICATION_ID = "sluice-bench-warm-up";

    /**
     * The configuration of a warm-up round: the whole pipeline, at least once, under an application id of its own (one
     * per round, so that each reads the input from the start), with an in-process registry.
     */
    static SluiceConfig warmUp(SluiceConfig base, String bootstrap, int round) {
        String applicationId = round == 1 ? WARM_UP_APPLICATION_ID : WARM_UP_APPLICATION_ID + "-" + round;
        SchemaRegistryConfig registry = SchemaRegistryConfig.of(SchemaRegistry.MOCK_PREFIX + applicationId);
        return forStep(LadderStep.AGGREGATES_AND_DIMENSIONS, base, bootstrap, registry)
                .withKafka(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId));
    }

    /** The masking policy of a step: keep everything until step (d) adds the configured one. */
    static MaskingPolicy policy(LadderStep step, MaskingPolicy configured) {
        return step.includes(LadderStep.MASKING) ? configured : KEEP_EVERYTHING;
    }

    /**
     * The registry a step writes schemas to: the configured one from step (d) on, else an
     * in-process one per step. Step (c)'s keep-everything schemas always stay in-process, so raw
     * column layouts never reach a real registry; a step's first schema write is its only registry
     * call per topic, so this costs no step anything the others do not pay.
     */
    static SchemaRegistryConfig registry(LadderStep step, SluiceConfig base) {
        if (base.schemaRegistry() != null && step.includes(LadderStep.MASKING)) {
            return base.schemaRegistry();
        }
        return SchemaRegistryConfig.of(SchemaRegistry.MOCK_PREFIX + "sluice-bench-" + step.letter());
    }

    /** The output topic of a pass-through step (a) or (b) for an input topic. */
    static String passThroughTopic(LadderStep step, String input) {
        return "bench." + step.letter() + "." + input;
    }
}
