package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {
    private static SluiceConfig withKafka(String kafkaLines) {
        return ConfigLoader.parse(
                "kafka:\n  bootstrap.servers: \"localhost:9092\"\n" + kafkaLines
                        + "sources: [ { name: mmp, type: mmp, topics: [mmp.events] } ]\npii: { unlisted: keep }\nlake: { uri: /tmp/lake }\n");
    }

    private static Properties settings(String kafkaLines) {
        return StreamsSettings.of(withKafka(kafkaLines), Path.of("state"));
    }

    @Test
    void boundsRocksDbMemoryTo64MiBByDefault() {
        Properties props = settings("");

        assertThat(props.get("rocksdb.config.setter")).isEqualTo(BoundedRocksDbMemory.class.getName());
        assertThat(props.get(StreamsSettings.ROCKSDB_MEMORY_CONFIG)).isEqualTo(64L << 20);
        assertThat(props.get(StreamsSettings.ROCKSDB_WRITE_BUFFERS_CONFIG)).isEqualTo(32L << 20);
    }

    @Test
    void takesTheMemoryBoundAsASize() {
        Properties props = settings("  sluice.rocksdb.memory: 256MB\n  sluice.rocksdb.writeBuffers: 96MB\n");

        assertThat(props.get(StreamsSettings.ROCKSDB_MEMORY_CONFIG)).isEqualTo(256L << 20);
        assertThat(props.get(StreamsSettings.ROCKSDB_WRITE_BUFFERS_CONFIG)).isEqualTo(96L << 20);
    }

    @Test
    void unboundedLeavesKafkaStreamsPerStoreDefaults() {
        Properties props = settings("  sluice.rocksdb.memory: unbounded\n");

        assertThat(props)
                .doesNotContainKeys(
                        "rocksdb.config.setter",
                        StreamsSettings.ROCKSDB_MEMORY_CONFIG,
                        StreamsSettings.ROCKSDB_WRITE_BUFFERS_CONFIG);
    }

    @Test
    void aConfiguredSetterWins() {
        assertThat(settings("  rocksdb.config.setter: com.example.MySetter\n").get("rocksdb.config.setter"))
                .isEqualTo("com.example.MySetter");
    }

    @Test
    void rejectsABadSizeNamingTheKey() {
        assertThatThrownBy(() -> settings("  sluice.rocksdb.memory: lots\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sluice.rocksdb.memory");
    }

    @Test
    void rejectsWriteBuffersLargerThanTheWholeBound() {
        assertThatThrownBy(() -> settings("  sluice.rocksdb.memory: 64MB\n  sluice.rocksdb.writeBuffers: 128MB\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sluice.rocksdb.writeBuffers");
    }

    @Test
    void keepsExactlyOnceAndExplicitNamingAsDefaults() {
        Properties props = settings("");

        assertThat(props.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(props.get("ensure.explicit.internal.resource.naming")).isEqualTo("true");
    }

    @Test
    void batchesProducerWritesInQuarterMegabytesUnlessTold() {
        assertThat(settings("").get("producer.batch.size")).isEqualTo(256 * 1024);
        assertThat(settings("  producer.batch.size: \"16384\"\n").get("producer.batch.size"))
                .isEqualTo("16384");
    }

    @Test
    void compressesWithLz4AndNeverWaitsForAnEmptyPartitionUnlessTold() {
        assertThat(settings("").get("producer.compression.type")).isEqualTo("lz4");
        assertThat(settings("  producer.compression.type: zstd\n").get("producer.compression.type"))
                .isEqualTo("zstd");
        assertThat(settings("").get("max.task.idle.ms")).isEqualTo(-1L);
        assertThat(settings("  max.task.idle.ms: \"0\"\n").get("max.task.idle.ms"))
                .isEqualTo("0");
    }
}
