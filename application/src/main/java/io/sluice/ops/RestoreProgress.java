package io.sluice.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** How far state restoration has got, per changelog partition, for the readiness endpoint and a gauge. */
public final class RestoreProgress implements StateRestoreListener {
    private final Map<TopicPartition, long[]> remaining = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        remaining.put(partition, new long[] {Math.max(0, endingOffset - startingOffset)});
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        long[] left = remaining.get(partition);
        if (left != null) {
            left[0] = Math.max(0, left[0] - numRestored);
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        remaining.remove(partition);
    }

    /** Changelog records still to restore, over all partitions being restored now. */
    public long remainingRecords() {
        return remaining.values().stream().mapToLong(v -> v[0]).sum();
    }
}
