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
 * @param malformed     records that cannot be decoded
 */
public record DemoFacts(int snapshotReads, int inserts, int updates, int deletes, int mmpEvents, int duplicates,
                        int late, int malformed) {

    static final class Builder {
        int snapshotReads;
        int inserts;
        int updates;
        int deletes;
        int mmpEvents;
        int duplicates;
        int late;
        int malformed;

        void cdc(String op) {
            switch (op) {
                case "r" -> snapshotReads++;
                case "c" -> inserts++;
                case "u" -> updates++;
                default -> deletes++;
            }
        }

        DemoFacts build() {
            return new DemoFacts(snapshotReads, inserts, updates, deletes, mmpEvents, duplicates, late, malformed);
        }
    }
}
