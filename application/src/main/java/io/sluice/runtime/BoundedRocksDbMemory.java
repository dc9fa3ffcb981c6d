package io.sluice.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in the process: one block cache shared by all
 * stores (and all their window segments), with memtables charged to it through a write-buffer
 * manager, and index and filter blocks kept inside it. Without this, Kafka Streams gives every
 * store instance its own 50 MiB cache and up to three 16 MiB memtables, so a pod's resident memory
 * grows with the number of stores, segments and partitions instead of staying at a figure that can
 * be put in a Kubernetes memory limit.
 *
 * <p>Sizes come from {@link StreamsSettings#ROCKSDB_MEMORY_CONFIG} and
 * {@link StreamsSettings#ROCKSDB_WRITE_BUFFERS_CONFIG}, which {@link StreamsSettings} has already
 * validated and turned into byte counts.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** A shared cache per process, as RocksDB intends; replaced only if another size is asked for (tests). */
    private static Shared shared;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long memory = bytes(configs.get(StreamsSettings.ROCKSDB_MEMORY_CONFIG), StreamsSettings.DEFAULT_ROCKSDB_MEMORY);
        long writeBuffers = bytes(configs.get(StreamsSettings.ROCKSDB_WRITE_BUFFERS_CONFIG), memory / 2);
        Shared memoryPool = shared(memory, writeBuffers);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memoryPool.cache());
        // Index and filter blocks count against the bound too; pinned at high priority so reads stay cheap.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memoryPool.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store: never closed with one of them.
    }

    private static synchronized Shared shared(long memory, long writeBuffers) {
        if (shared == null || shared.memory() != memory || shared.writeBufferBytes() != writeBuffers) {
            // High-priority pool of 10% for index and filter blocks; strict limit off, as Kafka's guide advises.
            Cache cache = new LRUCache(memory, -1, false, 0.1);
            shared = new Shared(memory, writeBuffers, cache, new WriteBufferManager(writeBuffers, cache));
        }
        return shared;
    }

    private static long bytes(Object value, long otherwise) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        return value == null ? otherwise : Long.parseLong(value.toString());
    }

    private record Shared(long memory, long writeBufferBytes, Cache cache, WriteBufferManager writeBuffers) {}
}
