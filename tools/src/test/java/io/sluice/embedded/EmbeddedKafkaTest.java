package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.TopicSettings;
import io.sluice.runtime.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker is a real Kafka server that keeps its data across restarts on the same directory. */
class EmbeddedKafkaTest {
    @TempDir
    Path dir;

    @Test
    void stopsCleanlyFreeingItsPortAndThreads() throws Exception {
        int port;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            port = Integer.parseInt(
                    kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        }

        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort())
                    .as("the broker's port is free again")
                    .isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .as("no broker thread outlives the broker")
                .noneMatch(t -> t.isAlive()
                        && !t.isDaemon()
                        && (t.getName().startsWith("data-plane")
                                || t.getName().startsWith("kafka-request")
                                || t.getName().startsWith("quorum")
                                || t.getName().startsWith("broker-")
                                || t.getName().startsWith("controller-")
                                || t.getName().startsWith("raft")));
    }

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
        Path data = dir.resolve("kafka");
        String clusterIdBefore;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data)) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = admin(kafka)) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .ensure(List.of("restart.test"), new TopicSettings(Optional.of(1), Optional.empty()), Map.of());
                clusterIdBefore = admin.describeCluster().clusterId().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("restart.test", "k", "v")).get();
            }
        }
        assertThat(Files.exists(data.resolve("meta.properties"))).isTrue();

        try (EmbeddedKafka again = EmbeddedKafka.start(data);
                Admin admin = admin(again)) {
            assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterIdBefore);
            Map<TopicPartition, Long> ends =
                    new TopicProvisioner(admin, Duration.ofSeconds(30)).endOffsets(List.of("restart.test"));
            assertThat(ends).containsEntry(new TopicPartition("restart.test", 0), 1L);
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
