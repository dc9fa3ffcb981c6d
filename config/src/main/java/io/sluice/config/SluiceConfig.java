package io.sluice.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole, validated Sluice configuration: immutable, and the only input of topology building.
 *
 * @param kafka   Kafka Streams and client properties written as values, passed through as written
 * @param kafkaReferences Kafka properties written as {@code {env: VARIABLE}} or {@code {file: PATH}} (every credential),
 *                        read only when a client is built: see {@link #kafkaProperties}
 * @param sources the sources, in declaration order
 * @param pii     the masking policy section
 * @param lake    the lake section
 * @param topics  how output topics are created
 * @param http    where metrics and health are served
 * @param deadLetterTopic the one topic dead-letter entries go to
 * @param dedup   deduplication per source
 * @param aggregates windowed aggregates
 * @param schemaRegistry the registry curated schemas go to; null when the configuration names none
 *                       ({@code sluice demo} and {@code replay} then start an embedded one)
 * @param dimensions SCD Type 2 dimension histories
 * @param receiver   how {@code sluice receive} serves pushes; null when the configuration has no {@code receiver:} section
 */
public record SluiceConfig(
        Map<String, String> kafka,
        Map<String, SecretRef> kafkaReferences,
        List<SourceConfig> sources,
        PiiConfig pii,
        LakeConfig lake,
        TopicSettings topics,
        HttpSettings http,
        String deadLetterTopic,
        List<DedupConfig> dedup,
        List<AggregateConfig> aggregates,
        SchemaRegistryConfig schemaRegistry,
        List<DimensionConfig> dimensions,
        ReceiverConfig receiver) {
    /** The application id used when {@code kafka.application.id} is not set. */
    public static final String DEFAULT_APPLICATION_ID = "sluice";
    /** The dead-letter topic used when {@code deadLetter.topic} is not set. */
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "sluice.dlq";

    public SluiceConfig {
        kafka = Map.copyOf(kafka);
        // in the order written, so that the first unreadable secret reported is the first in the file
        kafkaReferences = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kafkaReferences));
        sources = List.copyOf(sources);
        dedup = List.copyOf(dedup);
        aggregates = List.copyOf(aggregates);
        dimensions = List.copyOf(dimensions);
    }

    /** The dimension keeping the history of a source's table, or null. */
    public DimensionConfig dimensionFor(String source, String table) {
        return dimensions.stream()
                .filter(d -> d.source().equals(source) && d.table().equals(table))
                .findFirst()
                .orElse(null);
    }

    /** The aggregates over a source's rows. */
    public List<AggregateConfig> aggregatesOf(String source) {
        return aggregates.stream().filter(a -> a.source().equals(source)).toList();
    }

    /** The dedup settings of a source, or null when its duplicates pass through. */
    public DedupConfig dedupFor(String source) {
        return dedup.stream().filter(d -> d.source().equals(source)).findFirst().orElse(null);
    }

    /**
     * The whole {@code kafka:} section as clients take it, references read from the environment or files. The result
     * holds credentials: hand it to a client, never to a log line or an exception message.
     *
     * @throws ConfigException naming the key if a reference cannot be read
     */
    public Map<String, String> kafkaProperties(Map<String, String> environment) {
        Map<String, String> properties = new LinkedHashMap<>(kafka);
        kafkaReferences.forEach((key, reference) -> properties.put(key, reference.resolve(environment)));
        return properties;
    }

    /** The Kafka Streams application id. */
    public String applicationId() {
        return kafka.getOrDefault("application.id", DEFAULT_APPLICATION_ID);
    }

    /** The same configuration with some Kafka properties replaced (e.g. the embedded broker's address). */
    public SluiceConfig withKafka(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(kafka);
        merged.putAll(overrides);
        Map<String, SecretRef> references = new LinkedHashMap<>(kafkaReferences);
        references.keySet().removeAll(overrides.keySet());
        return new SluiceConfig(
                merged,
                references,
                sources,
                pii,
                lake,
                topics,
                http,
                deadLetterTopic,
                dedup,
                aggregates,
                schemaRegistry,
                dimensions,
                receiver);
    }

    /** The same configuration with another schema registry section. */
    public SluiceConfig withSchemaRegistry(SchemaRegistryConfig otherRegistry) {
        return new SluiceConfig(
                kafka,
                kafkaReferences,
                sources,
                pii,
                lake,
                topics,
                http,
                deadLetterTopic,
                dedup,
                aggregates,
                otherRegistry,
                dimensions,
                receiver);
    }

    /** The same configuration with another lake section. */
    public SluiceConfig withLake(LakeConfig otherLake) {
        return new SluiceConfig(
                kafka,
                kafkaReferences,
                sources,
                pii,
                otherLake,
                topics,
                http,
                deadLetterTopic,
                dedup,
                aggregates,
                schemaRegistry,
                dimensions,
                receiver);
    }
}
