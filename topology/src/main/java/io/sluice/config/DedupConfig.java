package io.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * One {@code dedup:} entry.
 *
 * @param source    the source whose records are deduplicated
 * @param keyFields fields (after masking) that identify an event; empty for Debezium sources, whose
 *                  changes are identified by record key and source position
 * @param retention the duplicate horizon: a copy arriving within it (in event time) is dropped
 */
public record DedupConfig(String source, List<String> keyFields, Duration retention) {

    public DedupConfig {
        keyFields = List.copyOf(keyFields);
    }
}
