package io.sluice.bench;

import java.time.Duration;
import java.util.Random;

/**
 * The faults real feeds have, at the rates the bench injects them: about 5% duplicates (Debezium
 * re-delivers after a connector restart, MMP push APIs retry), arriving minutes after the original,
 * and about 1% of MMP events arriving two hours late. Off for the live records of the latency run.
 *
 * @param enabled whether faults are injected
 */
record FeedFaults(boolean enabled) {
    static final int DUPLICATE_PERCENT = 5;
    static final int LATE_PERCENT = 1;
    static final Duration LATE_BY = Duration.ofHours(2);

    boolean duplicate(Random random) {
        return enabled && random.nextInt(100) < DUPLICATE_PERCENT;
    }

    boolean late(Random random) {
        return enabled && random.nextInt(100) < LATE_PERCENT;
    }

    /** How much later than its original a duplicate arrives: 30 s to 10 min. */
    static long duplicateDelayMs(Random random) {
        return 30_000 + random.nextInt(570_000);
    }
}
