package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterClientsTest {
    @Test
    void theConfiguredClusterKeepsItsConnectionSettingsAndNothingElse() {
        ClusterClients clients = ClusterClients.configured(Map.of(
                "bootstrap.servers", "kafka-1.internal:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.jks",
                "application.id", "shop-analytics",
                "processing.guarantee", "exactly_once_v2",
                "producer.linger.ms", "50"));

        assertThat(clients.bootstrapServers()).isEqualTo("kafka-1.internal:9093");
        assertThat(clients.properties())
                .containsOnlyKeys(
                        "bootstrap.servers",
                        "security.protocol",
                        "sasl.mechanism",
                        "sasl.jaas.config",
                        "ssl.truststore.location");
    }

    @Test
    void eachClientGetsAMapOfItsOwn() {
        ClusterClients clients = ClusterClients.at("127.0.0.1:9092");

        clients.properties().put("linger.ms", "100");

        assertThat(clients.properties()).containsOnlyKeys("bootstrap.servers");
    }
}
