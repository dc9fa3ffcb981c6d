package io.sluice.benchmarks;

import io.sluice.runtime.SluicePipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Size figures of a state store of a running pipeline: RocksDB properties and bytes on disk. */
final class StoreFigures {

    private StoreFigures() {}

    /** A RocksDB property of a store, summed over its segments, from Kafka Streams' own metrics. */
    static double rocksdb(SluicePipeline pipeline, String store, String property) {
        return pipeline.streams().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(property)
                        && e.getKey().tags().values().stream().anyMatch(v -> v.contains(store)))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0)
                .sum();
    }

    /** Bytes of a store's files under the state directory. */
    static long bytesOnDisk(Path state, String store) throws IOException {
        try (Stream<Path> walk = Files.walk(state)) {
            return walk.filter(p -> p.toString().contains(store) && Files.isRegularFile(p))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }
}
