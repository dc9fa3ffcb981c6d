package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {
    private static final long BOUND = 24L << 20;

    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    private static Options configured(String store) {
        Options options = new Options().setCreateIfMissing(true);
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new BoundedRocksDbMemory()
                .setConfig(
                        store,
                        options,
                        Map.of(
                                StreamsSettings.ROCKSDB_MEMORY_CONFIG,
                                BOUND,
                                StreamsSettings.ROCKSDB_WRITE_BUFFERS_CONFIG,
                                BOUND / 4));
        return options;
    }

    @Test
    void everyStoreUsesTheOneBoundedCacheWithIndexAndFilterBlocksInside() throws Exception {
        try (Options dedupOptions = configured("dedup-mmp-store");
                Options dimensionOptions = configured("dim-users-store");
                RocksDB dedup = RocksDB.open(dedupOptions, dir.resolve("dedup").toString());
                RocksDB dimension =
                        RocksDB.open(dimensionOptions, dir.resolve("dim").toString())) {
            dedup.put("k".getBytes(), "v".getBytes());

            assertThat(dedup.getProperty("rocksdb.block-cache-capacity")).isEqualTo(String.valueOf(BOUND));
            assertThat(dimension.getProperty("rocksdb.block-cache-capacity")).isEqualTo(String.valueOf(BOUND));
            assertThat(((BlockBasedTableConfig) dedupOptions.tableFormatConfig()).cacheIndexAndFilterBlocks())
                    .isTrue();
        }
    }
}
