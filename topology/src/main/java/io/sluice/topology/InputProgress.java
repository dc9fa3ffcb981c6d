package io.sluice.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest arrival time of each input of a step (one curate task per source partition) and when
 * this process last heard from it; the low watermark is the least latest arrival of the inputs heard
 * from recently. Kafka-free.
 */
final class InputProgress {
    private final long idleAfterMs;
    private final Map<String, long[]> inputs = new HashMap<>();

    InputProgress(long idleAfterMs) {
        this.idleAfterMs = idleAfterMs;
    }

    /** An input's progress as a previous run stored it; it counts as heard from now. */
    void restore(String input, long latestArrival, long now) {
        inputs.put(input, new long[] {latestArrival, now, latestArrival});
    }

    /** A record arrived through an input. */
    void observe(String input, long arrival, long now) {
        long[] progress = inputs.computeIfAbsent(input, i -> new long[] {Long.MIN_VALUE, now, Long.MIN_VALUE});
        progress[0] = Math.max(progress[0], arrival);
        progress[1] = now;
    }

    /** The progress last written to the store for an input, or {@link Long#MIN_VALUE}. */
    long stored(String input) {
        long[] progress = inputs.get(input);
        return progress == null ? Long.MIN_VALUE : progress[2];
    }

    void stored(String input, long arrival) {
        inputs.get(input)[2] = arrival;
    }

    /** The least latest arrival of the inputs heard from within the idle time, or {@link Long#MIN_VALUE} if none. */
    long lowWatermark(long now) {
        long low = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (long[] progress : inputs.values()) {
            newest = Math.max(newest, progress[0]);
            if (now - progress[1] <= idleAfterMs) {
                low = Math.min(low, progress[0]);
            }
        }
        // Every input silent: nothing new arrives to compare, so the newest progress is as good as any.
        return low == Long.MAX_VALUE ? newest : low;
    }
}
