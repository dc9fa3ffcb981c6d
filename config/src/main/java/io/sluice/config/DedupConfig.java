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
 * @param inputKey  one of {@code keyFields} whose value is the source records' Kafka key (as {@code sluice receive}
 *                  keys them by {@code appsflyer_id}), so copies of an event already share a partition and are
 *                  deduplicated where they are read, without a repartition; null when the input is keyed otherwise
 */
public record DedupConfig(
        String source, List<String> keyFields, Duration retention, Duration idleTimeout, String inputKey) {
    /** Five minutes: longer than any pause of a partition that is still being drained. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    public DedupConfig {
        keyFields = List.copyOf(keyFields);
        if (inputKey != null && !keyFields.contains(inputKey)) {
            throw new IllegalArgumentException("inputKey must be one of the key fields");
        }
    }

    /** Whether copies of an event must first be brought together by a repartition on their identity. */
    public boolean repartitioned() {
        return !keyFields.isEmpty() && inputKey == null;
    }
}
