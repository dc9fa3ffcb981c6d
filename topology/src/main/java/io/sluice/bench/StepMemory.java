package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The application process's memory peaks over one step: heap pools' peaks and the resident set's high-water mark. */
final class StepMemory {
    private static final long SELF = ProcessHandle.current().pid();
    private final boolean rssReset;

    private StepMemory(boolean rssReset) {
        this.rssReset = rssReset;
    }

    /** Resets the peaks; a step's figures are then its own, not those of the steps before it. */
    static StepMemory start() {
        System.gc(); // garbage of the steps before is not this step's peak
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        return new StepMemory(ProcessStats.resetPeakRss(SELF));
    }

    /** The heap pools' peaks since {@link #start()}, summed (each pool peaks at its own moment, so this is an upper bound). */
    long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Peak resident memory since {@link #start()} (or since the process started, where the kernel would not reset it). */
    long peakRssBytes() {
        return ProcessStats.peakRssBytes(SELF);
    }

    /** Whether {@link #peakRssBytes()} is this step's own peak. */
    boolean rssReset() {
        return rssReset;
    }
}
