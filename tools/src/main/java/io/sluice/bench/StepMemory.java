package io.sluice.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The application process's memory over one step: the heap pools' peaks, the heap in use right
 * after a garbage collection at its highest (the live data the step needed, however much garbage
 * the maximum heap let pile up), and the resident set's high-water mark.
 */
final class StepMemory {
    private static final long SELF = ProcessHandle.current().pid();
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private static final AtomicLong HEAP_AFTER_GC = new AtomicLong();

    static {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(
                        (notification, handback) -> {
                            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                    notification.getType())) {
                                var info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                        .filter(e -> HEAP_POOLS.contains(e.getKey()))
                                        .mapToLong(e -> e.getValue().getUsed())
                                        .sum();
                                HEAP_AFTER_GC.accumulateAndGet(used, Math::max);
                            }
                        },
                        null,
                        null);
            }
        }
    }

    private StepMemory() {}

    /** Collects the garbage of the steps before and resets the peaks, so a step's figures are its own. */
    static StepMemory start() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        HEAP_AFTER_GC.set(0);
        ProcessStats.resetPeakRss(SELF);
        return new StepMemory();
    }

    /** The heap pools' peaks since {@link #start()}, summed (each pool peaks at its own moment, so this is an upper bound). */
    long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage peak = pool.getPeakUsage();
                sum += peak.getUsed();
            }
        }
        return sum;
    }

    /** The highest heap in use right after a collection since {@link #start()}; 0 if no collection ran. */
    long liveHeapBytes() {
        return HEAP_AFTER_GC.get();
    }

    /** Peak resident memory since {@link #start()} (since the process started where the kernel would not reset it). */
    long peakRssBytes() {
        return ProcessStats.peakRssBytes(SELF);
    }

    /** The figures of the step so far. */
    Figures figures() {
        return new Figures(peakHeapBytes(), liveHeapBytes(), peakRssBytes());
    }

    /**
     * A step's memory figures.
     *
     * @param peakHeapBytes the heap pools' peaks, summed
     * @param liveHeapBytes the highest heap in use after a collection, 0 if none ran
     * @param peakRssBytes  peak resident memory of the process
     */
    record Figures(long peakHeapBytes, long liveHeapBytes, long peakRssBytes) {}
}
