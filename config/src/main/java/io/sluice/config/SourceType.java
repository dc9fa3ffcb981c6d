package io.sluice.config;

/** The kinds of source Sluice reads. */
public enum SourceType {
    /** Debezium change events: one topic per table, the table named by the topic's last segment. */
    DEBEZIUM,
    /** Mobile-measurement-partner events (AppsFlyer-style), curated as one table per source. */
    MMP
}
