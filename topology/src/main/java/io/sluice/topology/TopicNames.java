package io.sluice.topology;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import java.util.ArrayList;
import java.util.List;

/** The names of everything Sluice writes, derived from the configuration only. */
public final class TopicNames {
    /** Prefix of curated topics: {@code curated.<source>.<table>}. */
    public static final String CURATED_PREFIX = "curated.";
    /** Prefix of dead-letter topics: {@code dlq.<source>}. */
    public static final String DEAD_LETTER_PREFIX = "dlq.";

    private TopicNames() {
    }

    /** The curated topic of a table. */
    public static String curated(String source, String table) {
        return CURATED_PREFIX + source + "." + table;
    }

    /** The dead-letter topic of a source. */
    public static String deadLetter(String source) {
        return DEAD_LETTER_PREFIX + source;
    }

    /** The lake table of a curated topic's table: {@code <source>_<table>}. */
    public static String lakeTable(String source, String table) {
        return source + "_" + table;
    }

    /** Every topic the sources read. */
    public static List<String> inputs(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        config.sources().forEach(s -> topics.addAll(s.topics()));
        return topics;
    }

    /** Every curated topic, in configuration order, without repeats. */
    public static List<String> curatedTopics(SluiceConfig config) {
        List<String> topics = new ArrayList<>();
        for (SourceConfig source : config.sources()) {
            for (String topic : source.topics()) {
                String curated = curated(source.name(), source.tableOf(topic));
                if (!topics.contains(curated)) {
                    topics.add(curated);
                }
            }
        }
        return topics;
    }

    /** Every topic Sluice writes: curated topics, then dead-letter topics. */
    public static List<String> outputs(SluiceConfig config) {
        List<String> topics = new ArrayList<>(curatedTopics(config));
        config.sources().forEach(s -> topics.add(deadLetter(s.name())));
        return topics;
    }
}
