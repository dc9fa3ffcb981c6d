package io.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * One {@code dedup:} entry.
 *
 * @param source    the source whose records are deduplicated
 * @param keyFields fields (after masking) that identify an event; empty for Debezium sources, whose
 *                  changes are identified by record key and source position
 * @param retention the duplicate horizon: a copy arriving within it (in arrival time) of an earlier copy is dropped
 * @param idleTimeout how long a source partition may be silent before it stops holding identities back; also how long
 *                  after a start nothing is forgotten, until every partition has been heard from
 */
public record DedupConfig(String source, List<String> keyFields, Duration retention, Duration idleTimeout) {
    /** Five minutes: longer than any pause of a partition that is still being drained. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    public DedupConfig {
        keyFields = List.copyOf(keyFields);
    }
}
