package io.sluice.runtime;

import io.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties: the configuration's {@code kafka:} section over Sluice's defaults. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /**
     * The properties for the topology's Kafka Streams client.
     *
     * @param stateDir the state directory (the pod's volume in production)
     */
    public static Properties of(SluiceConfig config, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, SluiceConfig.DEFAULT_APPLICATION_ID);
        // Exactly-once from source topics to curated topics is one of Sluice's guarantees.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A refactor must never silently rename a changelog or repartition topic.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // Recommended by Kafka Streams 4.x and the default from 5.0: one error-handling behaviour everywhere.
        props.put("processing.exception.handler.global.enabled", "true");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.putAll(config.kafka());
        return props;
    }
}
