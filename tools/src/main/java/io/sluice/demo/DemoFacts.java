package io.sluice.demo;

/**
 * What the demo generated, so the summary can say what the pipeline did with it.
 *
 * @param snapshotReads Debezium snapshot reads
 * @param inserts       Debezium inserts
 * @param updates       Debezium updates
 * @param deletes       Debezium deletes (each followed by a tombstone)
 * @param mmpEvents     distinct MMP events
 * @param duplicates    re-delivered CDC events and retried MMP pushes
 * @param late          MMP events that arrive two hours after their event time
 * @param malformed     records that cannot be decoded (or hold a number of absurd scale)
 * @param implausibleTimes MMP events from clocks years ahead or at epoch 0
 * @param hiddenPii     MMP events with personal data where only the detectors find it (full-width digits, post-2020 RRNs,
 *                      nested JSON, JSON numbers, field names, 2-series cards, zero-width characters)
 */
public record DemoFacts(
        int snapshotReads,
        int inserts,
        int updates,
        int deletes,
        int mmpEvents,
        int duplicates,
        int late,
        int malformed,
        int implausibleTimes,
        int hiddenPii) {

    static final class Builder {
        int snapshotReads;
        int inserts;
        int updates;
        int deletes;
        int mmpEvents;
        int duplicates;
        int late;
        int malformed;
        int implausibleTimes;
        int hiddenPii;

        void cdc(String op) {
            switch (op) {
                case "r" -> snapshotReads++;
                case "c" -> inserts++;
                case "u" -> updates++;
                default -> deletes++;
            }
        }

        DemoFacts build() {
            return new DemoFacts(
                    snapshotReads,
                    inserts,
                    updates,
                    deletes,
                    mmpEvents,
                    duplicates,
                    late,
                    malformed,
                    implausibleTimes,
                    hiddenPii);
        }
    }
}
